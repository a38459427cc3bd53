package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
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

  private final PrimaryReplica replica;
  private final PrimarySession session;
  private final Listings listings;
  private final Progress progress;
  private final SendBatches sends;
  private final FileCopy copy;
  private final int streams;
  private long since = Plan.ANY_TIME;

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
    this.streams = Math.max(1, replica.setup().rfs().nbrei());
    this.session = session;
    this.sends = new SendBatches(session);
    this.copy = new FileCopy(replica, sends, progress);
    this.listings = listings;
  }

  long bytesCopied() {
    return copy.bytesCopied();
  }

  long filesCopied() {
    return copy.filesCopied();
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
    around(() -> passes(first, full, since, theirs, external));
  }

  /**
   * {@code swap nosync} (spec C.10): the secondary held this primary's data when the application
   * stopped for the swap, so no tree is compared — only what this primary recorded since its role
   * began is copied, behind the barrier. When that record cannot say it alone (a name changed, a
   * zone of a file the write path has not seen), the secondary's tree is asked for and the usual
   * passes run.
   *
   * @return whether the trees were left uncompared
   */
  boolean runNosync() throws IOException {
    boolean[] trusted = {false};
    around(
        () -> {
          trusted[0] = nosyncBarrier();
          if (!trusted[0]) {
            passes(listings.request(), false, Plan.ANY_TIME, List.of(), false);
          }
        });
    return trusted[0];
  }

  private interface Body {
    void run() throws IOException;
  }

  private void around(Body body) throws IOException {
    sends.start();
    if (streams > 1) {
      copiers = new CopyStreams(streams, replica.setup().module());
    }
    try {
      body.run();
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
      if (!session.drain(replica.reiTimeoutMillis())) {
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
      if (!session.drain(replica.reiTimeoutMillis())) {
        throw new IOException("the secondary stopped acknowledging at the end of reintegration");
      }
      replica.goSynchronous(session, passes);
    } finally {
      replica.locks().unlockNamespace();
    }
  }

  /**
   * The barrier of {@link #runNosync}: every zone recorded in this role, by the paths the write
   * path saw; false, nothing sent, when a name changed or a zone's file has no path seen.
   */
  private boolean nosyncBarrier() throws IOException {
    replica.locks().lockNamespace();
    try {
      ZoneLog zones = replica.zones();
      ZoneLog.Dirty all = zones.dirtyBetween(-1, zones.advance());
      java.util.Map<String, String> seen = replica.tracker().seenPaths();
      boolean unseen =
          all.zones().stream().anyMatch(z -> !seen.containsKey(z.dir() + ":" + z.ino()));
      if (zones.takeNamesChanged() || unseen) {
        zones.namesChanged(); // still true for the passes that follow
        return false;
      }
      for (Plan.Step step : dirtyOnly(Tracker.snapshot(all, seen, zoneSize()))) {
        execute(step, false);
      }
      if (!session.drain(replica.lockTimeoutMillis())) {
        throw new IOException("the secondary stopped acknowledging at the end of reintegration");
      }
      replica.goSynchronous(session, 0);
      return true;
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
      copy.data(c);
    } else if (step instanceof Plan.Attrs a) {
      copy.attrs(a.dir(), a.path(), a.type());
    }
  }

  /** Queues a change ({@link SendBatches#send}). */
  private void send(Change c) throws IOException {
    sends.send(c, false);
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
