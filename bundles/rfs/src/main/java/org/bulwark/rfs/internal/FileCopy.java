package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.store.EventLevel;

/**
 * A reintegration's copy of one file to the secondary (spec C.4): its data zone by zone — data
 * segments written, holes punched — each chunk read and queued under the file's lock, then its end
 * and attributes; or its attributes alone. A file renamed, removed or replaced while it is copied
 * is left to the next pass ({@link CopyIdentity}). Runs on the reintegration's streams, each
 * queuing through {@link SendBatches}; the bytes and files copied are counted for the progress.
 */
final class FileCopy {
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
  private final SendBatches sends;
  private final Progress progress;
  private final CopyIdentity identity;
  private final Bandwidth bandwidth;
  private final boolean detailed;
  private final int chunk;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong files = new AtomicLong();

  FileCopy(PrimaryReplica replica, SendBatches sends, Progress progress) {
    this.replica = replica;
    this.sends = sends;
    this.progress = progress;
    this.identity = new CopyIdentity(replica);
    this.bandwidth =
        new Bandwidth(replica.setup().rfs().reiallowedbw().orElse(0)); // spec B.7, KB/s
    this.detailed = replica.setup().rfs().reidetail();
    long zone = replica.tracker().zoneSize();
    this.chunk = (int) Math.min(Math.min(zone, replica.reiPacket()), MsgCodec.MAX_DATA);
  }

  long bytesCopied() {
    return bytes.get();
  }

  long filesCopied() {
    return files.get();
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
  void data(Plan.Copy c) throws IOException {
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
            .log(EventLevel.I, "reintegre", "Copied " + c.path() + " (" + copied + " bytes)");
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
        sends.send(
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
        sends.send(new Change.Write(c.dir(), c.path(), data, piece, Change.KEEP_TIME), linked);
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
      sends.send(
          new Change.Fallocate(c.dir(), c.path(), PUNCH_HOLE, from, to - from, Change.KEEP_TIME),
          linked);
    }
  }

  /**
   * Owner, mode, extended attributes (exactly: others removed) and times as they are now, under the
   * file's lock — if it is still of {@code type} (null: whatever it is), as the secondary has it
   * from this pass.
   */
  void attrs(int dir, String path, FileType type) throws IOException {
    LocalTree tree = replica.tree(dir);
    replica.locks().lockFile(dir, path);
    try {
      Optional<FileStat> s = tree.stat(path);
      if (s.isEmpty() || (type != null && s.get().type() != type)) {
        replica.zones().namesChanged(); // gone or of another type: the next pass compares
        return;
      }
      FileStat st = s.get();
      // as in data. A directory's count (2 and more: its subdirectories) marks its changes too:
      // in order, as when the secondary counted links itself (in lanes, a fault of files renamed
      // over during a reintegration showed more often: docs/replication.md, "Parallel streams")
      boolean linked = st.nlink() > 1;
      sends.send(new Change.Chown(dir, path, st.uid(), st.gid()), linked);
      if (st.type() != FileType.SYMLINK) {
        sends.send(new Change.Chmod(dir, path, st.mode()), linked);
        List<String> names = new ArrayList<>();
        for (String name : tree.xattrNames(path)) {
          if (Xattrs.replicated(name, replica.acl())) {
            names.add(name);
          }
        }
        sends.send(new Change.KeepXattrs(dir, path, names, replica.acl()), linked);
        for (String name : names) {
          Optional<byte[]> value = tree.xattr(path, name);
          if (value.isPresent()) {
            sends.send(new Change.SetXattr(dir, path, name, value.get(), 0), linked);
          }
        }
      }
      sends.send(new Change.Times(dir, path, st.atimeNanos(), st.mtimeNanos()), linked);
    } catch (ErrnoException e) {
      if (e.errno() != ENOENT) {
        throw e;
      }
    } finally {
      replica.locks().unlockFile(dir, path);
    }
  }
}
