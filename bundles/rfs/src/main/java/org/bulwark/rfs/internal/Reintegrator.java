package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.store.EventLevel;

/**
 * Brings one secondary level with the primary while the application goes on writing (spec C.4;
 * DESIGN: multi-pass as SIOS DataKeeper). Each pass compares the trees and sends what differs,
 * while the write path records what the application changes meanwhile ({@link ZoneLog}); passes
 * repeat while they find much to do; the last one runs behind a short barrier (the namespace lock
 * held: the application's changes wait), after which the session is synchronous.
 */
final class Reintegrator {
  private static final int MAX_PASSES = 8;

  /** Few enough dirty zones to copy them behind the barrier. */
  private static final long BARRIER_ZONES = 64;

  private static final int SEEK_DATA = 3;
  private static final int SEEK_HOLE = 4;
  private static final int PUNCH_HOLE = 0x02 | 0x01; // FALLOC_FL_PUNCH_HOLE | KEEP_SIZE
  private static final int ENOENT = 2;

  /** What opening a name gives when it is no longer a regular file (or no longer there). */
  private static final java.util.Set<Integer> TYPE_CHANGED =
      java.util.Set.of(
          ENOENT, 1 /* EPERM */, 6 /* ENXIO */, 20 /* ENOTDIR */, 21 /* EISDIR */, 40 /* ELOOP */);

  private static final int O_RDONLY = 0;

  private final PrimaryReplica replica;
  private final PrimarySession session;
  private final Listings listings;
  private final int chunk;
  private final Progress progress;
  private final CopyIdentity identity;
  private final SendBatches sends;
  private final Bandwidth bandwidth;
  private final boolean detailed;
  private final int streams;
  private long since = Plan.ANY_TIME;
  private final java.util.concurrent.atomic.AtomicLong bytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong files =
      new java.util.concurrent.atomic.AtomicLong();

  /** Where the secondary's listings come from (the session handler). */
  interface Listings {
    /** The secondary's tree once every change sent so far is applied. */
    List<Msg.Entry> request() throws IOException;
  }

  Reintegrator(PrimaryReplica replica, PrimarySession session, Listings listings) {
    this(replica, session, listings, new Progress());
  }

  Reintegrator(
      PrimaryReplica replica, PrimarySession session, Listings listings, Progress progress) {
    this.progress = progress;
    this.replica = replica;
    this.identity = new CopyIdentity(replica);
    this.bandwidth =
        new Bandwidth(replica.setup().rfs().reiallowedbw().orElse(0)); // spec B.7, KB/s
    this.detailed = replica.setup().rfs().reidetail();
    this.streams = Math.max(1, replica.setup().rfs().nbrei());
    this.session = session;
    this.sends = new SendBatches(session);
    this.listings = listings;
    long zone = replica.tracker().zoneSize();
    this.chunk = (int) Math.min(Math.min(zone, replica.reiPacket()), MsgCodec.MAX_DATA);
  }

  long bytesCopied() {
    return bytes.get();
  }

  long filesCopied() {
    return files.get();
  }

  /**
   * Runs the passes, then switches the session to synchronous replication.
   *
   * @param first the secondary's tree as it sent it at connection
   * @param full copy every file whole in the first pass
   * @param since {@code secondforce -d}: in the first pass, copy whole the files modified since
   *     then (nanoseconds), no other content; {@link Plan#ANY_TIME} otherwise
   * @param theirs zones the secondary itself may hold differently (its own record from when it was
   *     primary), named by its inodes, which its listing maps to paths
   * @param external {@code rfssync external} (spec C.12): the first pass takes the zones written
   *     since the mark ({@link ExternalSync}'s epoch) in place of the main record's, since the
   *     secondary holds a backup taken after the mark
   */
  void run(
      List<Msg.Entry> first, boolean full, long since, List<ZoneLog.Zone> theirs, boolean external)
      throws IOException {
    sends.start();
    if (streams > 1) {
      copiers = new CopyStreams(streams, replica.setup().module());
    }
    try {
      passes(first, full, since, theirs, external);
    } finally {
      sends.stop();
      if (copiers != null) {
        copiers.close();
        copiers = null;
      }
    }
  }

  private void passes(
      List<Msg.Entry> first, boolean full, long since, List<ZoneLog.Zone> theirs, boolean external)
      throws IOException {
    this.since = since;
    ZoneLog zones = replica.zones();
    zones.takeNamesChanged();
    long mark;
    List<ZoneLog.Zone> epoch = null;
    if (external) {
      // no write between its record in the main log and in the epoch: a zone recorded before
      // this mark is in the epoch read here, one recorded after it in the next passes
      replica.locks().lockNamespace();
      try {
        mark = zones.advance();
        epoch = replica.external().epochZones();
      } finally {
        replica.locks().unlockNamespace();
      }
    } else {
      mark = zones.advance();
    }
    // pass 1: every zone recorded so far, ours and the secondary's
    List<Msg.Entry> ours = walk();
    Dirt.Snapshot dirt =
        (epoch != null
                ? Tracker.snapshot(epoch, Tracker.names(ours), zoneSize())
                : Tracker.snapshot(zones.dirtyBetween(-1, mark), Tracker.names(ours), zoneSize()))
            .merge(Tracker.snapshot(theirs, Tracker.names(first), zoneSize()));
    List<Msg.Entry> secondary = first;
    boolean fullPass = full;
    for (int pass = 1; ; pass++) {
      runPass(ours, secondary, fullPass, dirt, true);
      fullPass = false;
      if (!session.drain(replica.lockTimeoutMillis())) {
        throw new IOException("the secondary stopped acknowledging during reintegration");
      }
      boolean names = zones.takeNamesChanged();
      if (pass >= MAX_PASSES || (!names && zones.countAfter(mark) <= BARRIER_ZONES)) {
        barrier(pass, mark, names);
        return;
      }
      long next = zones.advance();
      ours = walk();
      dirt = Tracker.snapshot(zones.dirtyBetween(mark, next), Tracker.names(ours), zoneSize());
      mark = next;
      secondary = listings.request();
    }
  }

  private long zoneSize() {
    return replica.tracker().zoneSize();
  }

  private List<Msg.Entry> walk() throws IOException {
    List<Msg.Entry> ours = new ArrayList<>();
    for (int d = 0; d < replica.dirCount(); d++) {
      ours.addAll(TreeWalk.walk(replica.tree(d), d, replica.exclusions(d)));
    }
    return ours;
  }

  /**
   * The last pass: the application's changes wait while the rest is copied, then go live.
   *
   * @param after the mark the previous pass started from
   * @param names whether names changed during the previous pass
   */
  private void barrier(int passes, long after, boolean names) throws IOException {
    replica.locks().lockNamespace();
    try {
      ZoneLog zones = replica.zones();
      long upTo = zones.advance();
      boolean moreNames = names | zones.takeNamesChanged();
      ZoneLog.Dirty rest = zones.dirtyBetween(after, upTo);
      if (moreNames) {
        List<Msg.Entry> ours = walk();
        runPass( // one stream: the namespace lock held here keeps other threads out
            ours,
            listings.request(),
            false,
            Tracker.snapshot(rest, Tracker.names(ours), zoneSize()),
            false);
      } else {
        Dirt.Snapshot dirt = Tracker.snapshot(rest, replica.tracker().seenPaths(), zoneSize());
        for (Plan.Step step : dirtyOnly(dirt)) {
          execute(step, false);
        }
      }
      if (!session.drain(replica.lockTimeoutMillis())) {
        throw new IOException("the secondary stopped acknowledging at the end of reintegration");
      }
      replica.goSynchronous(session, passes);
    } finally {
      replica.locks().unlockNamespace();
    }
  }

  /** Steps for dirty files only (no name changed): copy their zones or attributes. */
  private List<Plan.Step> dirtyOnly(Dirt.Snapshot rest) throws IOException {
    List<Plan.Step> steps = new ArrayList<>();
    for (String key : allKeys(rest)) {
      int colon = key.indexOf(':');
      int dir = Integer.parseInt(key.substring(0, colon));
      String path = key.substring(colon + 1);
      Optional<FileStat> s = replica.tree(dir).stat(path);
      if (s.isEmpty()) {
        continue; // gone: its removal was a name change, replicated live
      }
      Dirt.Zones z = rest.of(dir, path);
      if (s.get().type() == FileType.REGULAR && (z.all() || !z.zones().isEmpty())) {
        // no inode to check: no listing, and under the namespace lock no rename comes between
        steps.add(
            new Plan.Copy(
                dir, path, z.all() ? null : z.zones(), false, z.blocks(), Plan.Copy.UNKNOWN));
      } else {
        steps.add(new Plan.Attrs(dir, path));
      }
    }
    return steps;
  }

  private static List<String> allKeys(Dirt.Snapshot s) {
    java.util.Set<String> keys = new java.util.TreeSet<>(s.zones().keySet());
    keys.addAll(s.whole());
    keys.addAll(s.meta());
    return new ArrayList<>(keys);
  }

  private void runPass(
      List<Msg.Entry> ours,
      List<Msg.Entry> theirs,
      boolean full,
      Dirt.Snapshot dirt,
      boolean mayParallel)
      throws IOException {
    List<Plan.Step> steps = Plan.of(ours, theirs, full, dirt, since);
    since = Plan.ANY_TIME; // later passes follow the changes made meanwhile
    plan(steps, ours);
    CopyStreams parallel = mayParallel ? copiers : null;
    if (parallel == null) {
      for (Plan.Step step : steps) {
        execute(step, full);
      }
      return;
    }
    PassOrder order = PassOrder.of(steps, ours); // spec B.7 nbrei
    for (Plan.Step step : order.names()) {
      execute(step, full);
    }
    if (sends.unflushed() > 0) {
      sends.flush();
    }
    // each stream queues its files' changes without a flush, as one stream does: a flush every
    // FLUSH_CHANGES changes (whichever stream reaches it sends every stream's), and one when the
    // pass's copies are all queued — not one per file, which woke the connection's event loop once
    // per small file
    try {
      parallel.run(
          order.units(),
          unit -> {
            for (Plan.Step step : unit) {
              execute(step, full);
            }
          });
      for (Plan.Step step : order.links()) {
        execute(step, full);
      }
      for (Plan.Step step : order.directories()) {
        execute(step, full);
      }
    } finally {
      sends.flush();
    }
  }

  /** The streams of a reintegration with {@code nbrei} above 1; null with one. */
  private CopyStreams copiers;

  private void plan(List<Plan.Step> steps, List<Msg.Entry> ours) {
    java.util.Map<String, Long> sizes = PassOrder.sizes(ours);
    long files = 0;
    long bytes = 0;
    for (Plan.Step step : steps) {
      if (step instanceof Plan.Copy c) {
        long size = sizes.getOrDefault(Dirt.key(c.dir(), c.path()), 0L);
        files++;
        bytes += c.zones() == null ? size : Math.min(size, CopyRanges.zoneBytes(c, zoneSize()));
      }
    }
    progress.planned(files, bytes);
    replica.report().pass(steps);
  }

  void execute(Plan.Step step, boolean full) throws IOException {
    if (step instanceof Plan.Send s) {
      send(s.change());
    } else if (step instanceof Plan.Copy c) {
      copy(c);
    } else if (step instanceof Plan.Attrs a) {
      attrs(a.dir(), a.path(), a.type());
    }
  }

  private void send(Change c) throws IOException {
    send(c, false);
  }

  /** Queues a change ({@link SendBatches#send}). */
  private void send(Change c, boolean linked) throws IOException {
    sends.send(c, linked);
  }

  /** Tests: what runs before each file's copy, on the stream copying it (fault injection). */
  interface CopyHook {
    void before(Plan.Copy copy) throws IOException;
  }

  /** Null but in tests. */
  static volatile CopyHook beforeCopy;

  /** Tests: what runs after a file's data is read, before its end is checked. Null but in tests. */
  static volatile CopyHook beforeEnd;

  /** Copies a file's data zone by zone, each read and queued under the file's lock. */
  private void copy(Plan.Copy c) throws IOException {
    CopyHook hook = beforeCopy;
    if (hook != null) {
      hook.before(c);
    }
    LocalTree tree = replica.tree(c.dir());
    LocalTree.OpenFile file;
    try {
      file = tree.open(c.path(), O_RDONLY, 0);
    } catch (ErrnoException e) {
      if (TYPE_CHANGED.contains(e.errno())) {
        // removed, or replaced by a link, a directory, a fifo … meanwhile: a change of names,
        // which the next pass compares
        replica.zones().namesChanged();
        return;
      }
      throw e;
    }
    try (file) {
      // the size under the file's lock: a write recorded before this pass's mark may still be
      // running (it holds the lock); read before it extended the file, the size would leave out
      // what it wrote past the old end, and no later pass would take it
      long size;
      // several names now (st_nlink): every change of this copy marked as such, so that the
      // secondary applies them in order with any other name's (ApplyLanes#laneOf)
      boolean linked;
      replica.locks().lockFile(c.dir(), c.path());
      try {
        FileStat st = file.stat();
        if (!identity.asPlanned(c, st)) {
          return;
        }
        size = st.size();
        linked = st.nlink() > 1;
      } finally {
        replica.locks().unlockFile(c.dir(), c.path());
      }
      files.incrementAndGet();
      progress.copiedFile();
      long zone = replica.tracker().zoneSize();
      List<long[]> ranges = CopyRanges.ranges(c, zone, size);
      long copied = 0;
      for (long[] r : ranges) {
        for (long at = r[0]; at < r[1]; at += chunk) {
          long end = Math.min(r[1], at + chunk);
          if (bandwidth.limited() && sends.unflushed() > 0) {
            sends.flush(); // nothing queued waits while the bandwidth's limit does
          }
          bandwidth.take(end - at); // waits with no lock held
          copied += copyChunk(c, file, at, end, linked);
        }
      }
      if (detailed) {
        replica
            .events()
            .log(
                org.bulwark.api.store.EventLevel.I,
                "reintegre",
                "Copied " + c.path() + " (" + copied + " bytes)");
      }
      CopyHook end = beforeEnd;
      if (end != null) {
        end.before(c);
      }
      replica.locks().lockFile(c.dir(), c.path());
      try {
        FileStat st = file.stat();
        if (!identity.stillNamed(c, tree, st)) {
          return;
        }
        send(
            new Change.Truncate(c.dir(), c.path(), st.size(), Change.KEEP_TIME),
            linked || st.nlink() > 1);
        // by name (extended attributes have no descriptor here), under the lock still held: the
        // name is this file's until it is released (the lock is reentrant)
        attrs(c.dir(), c.path(), FileType.REGULAR);
      } finally {
        replica.locks().unlockFile(c.dir(), c.path());
      }
    }
  }

  /**
   * The most one write message carries in a copy: a pooled direct buffer (larger ones are not
   * pooled), read into straight from the file and sent as it is.
   */
  static final int PIECE = 1 << 20;

  /**
   * One chunk: its data segments written, its holes punched (not on a fresh, empty file); the bytes
   * of data sent.
   */
  private long copyChunk(Plan.Copy c, LocalTree.OpenFile file, long from, long to, boolean linked)
      throws IOException {
    long sent = 0;
    replica.locks().lockFile(c.dir(), c.path());
    try {
      long at = from;
      while (at < to) {
        long data = file.seek(at, SEEK_DATA);
        if (data < 0 || data >= to) {
          hole(c, at, to, linked);
          return sent;
        }
        hole(c, at, data, linked);
        long end = file.seek(data, SEEK_HOLE);
        if (end < 0 || end > to) {
          end = to;
        }
        int want = (int) Math.min(PIECE, end - data);
        ByteBuf piece = PooledByteBufAllocator.DEFAULT.directBuffer(want);
        int n;
        try {
          n = file.read(data, piece.nioBuffer(0, want));
        } catch (IOException | RuntimeException e) {
          piece.release();
          throw e;
        }
        if (n <= 0) {
          piece.release();
          return sent; // shrunk meanwhile: the file is dirty again
        }
        piece.writerIndex(n);
        send(new Change.Write(c.dir(), c.path(), data, piece, Change.KEEP_TIME), linked);
        bytes.addAndGet(n);
        progress.copied(n);
        sent += n;
        at = data + n;
      }
      return sent;
    } finally {
      replica.locks().unlockFile(c.dir(), c.path());
    }
  }

  private void hole(Plan.Copy c, long from, long to, boolean linked) throws IOException {
    if (!c.fresh() && to > from) {
      send(
          new Change.Fallocate(c.dir(), c.path(), PUNCH_HOLE, from, to - from, Change.KEEP_TIME),
          linked);
    }
  }

  /**
   * Owner, mode, extended attributes (exactly: others removed) and times as they are now, under the
   * file's lock — if it is still of {@code type} (null: whatever it is), as the secondary has it
   * from this pass.
   */
  private void attrs(int dir, String path, FileType type) throws IOException {
    LocalTree tree = replica.tree(dir);
    replica.locks().lockFile(dir, path);
    try {
      Optional<FileStat> s = tree.stat(path);
      if (s.isEmpty() || (type != null && s.get().type() != type)) {
        replica.zones().namesChanged(); // gone or of another type: the next pass compares
        return;
      }
      FileStat st = s.get();
      // as in copy. A directory's count (2 and more: its subdirectories) marks its changes too:
      // in order, as when the secondary counted links itself (in lanes, a fault of files renamed
      // over during a reintegration showed more often: docs/replication.md, "Parallel streams")
      boolean linked = st.nlink() > 1;
      send(new Change.Chown(dir, path, st.uid(), st.gid()), linked);
      if (st.type() != FileType.SYMLINK) {
        send(new Change.Chmod(dir, path, st.mode()), linked);
        List<String> names = new ArrayList<>();
        for (String name : tree.xattrNames(path)) {
          if (Xattrs.replicated(name, replica.acl())) {
            names.add(name);
          }
        }
        send(new Change.KeepXattrs(dir, path, names, replica.acl()), linked);
        for (String name : names) {
          Optional<byte[]> value = tree.xattr(path, name);
          if (value.isPresent()) {
            send(new Change.SetXattr(dir, path, name, value.get(), 0), linked);
          }
        }
      }
      send(new Change.Times(dir, path, st.atimeNanos(), st.mtimeNanos()), linked);
    } catch (ErrnoException e) {
      if (e.errno() != ENOENT) {
        throw e;
      }
    } finally {
      replica.locks().unlockFile(dir, path);
    }
  }

  /** For the log: a pass's size. */
  static String summary(List<Plan.Step> steps) {
    long copies = steps.stream().filter(s -> s instanceof Plan.Copy).count();
    return steps.size() + " steps, " + copies + " files to copy";
  }

  static EventLevel level() {
    return EventLevel.I;
  }
}
