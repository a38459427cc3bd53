package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * A change to the secondary's copy: the same system calls the application made on the primary (spec
 * B.7), and the ones reintegration uses to bring a tree level. Paths are relative to replicated
 * directory number {@code dir}; the secondary resolves them beneath that directory only.
 */
sealed interface Change {

  int dir();

  String path();

  /** Whether only a durability barrier, which the secondary acknowledges once on disk. */
  default boolean barrier() {
    return false;
  }

  /**
   * Data at {@code offset}; then the file's modification time is set to {@code mtimeNanos} (what
   * the write gave it on the primary), unless it is {@link #KEEP_TIME}.
   *
   * <p>The data is a reference-counted buffer, usually pooled and direct, which this change owns:
   * on the primary it goes to the connection as it is and is released once written there; on the
   * secondary it is a slice of the received frame, written to the file from there and released once
   * applied. Whoever drops a change without sending or applying it releases it ({@link #release}).
   * No {@code byte[]} is made per change (benchmarks.md, "Replication": copying and zeroing them
   * cost the write path a good part of its processor time).
   */
  record Write(int dir, String path, long offset, ByteBuf data, long mtimeNanos) implements Change {
    /** A write of bytes held on the heap (tests, tools): wrapped, not copied. */
    Write(int dir, String path, long offset, byte[] data, long mtimeNanos) {
      this(dir, path, offset, Unpooled.wrappedBuffer(data), mtimeNanos);
    }

    /** Bytes of data. */
    int length() {
      return data.readableBytes();
    }
  }

  /**
   * Whether a change to one file's data or attributes: what the secondary's appliers may apply in
   * parallel with other files' changes ({@link ApplyLanes}), and what alone may be marked as a
   * change of a file with several names ({@link Msg.Op#linked}).
   */
  static boolean ofOneFile(Change c) {
    return c instanceof Write
        || c instanceof Truncate
        || c instanceof Fallocate
        || c instanceof Chmod
        || c instanceof Chown
        || c instanceof Times
        || c instanceof SetXattr
        || c instanceof RemoveXattr
        || c instanceof KeepXattrs
        || c instanceof Sync;
  }

  /** Releases what a change holds (a write's data), when it is dropped unsent or unapplied. */
  static void release(Change c) {
    if (c instanceof Write w) {
      w.data().release();
    }
  }

  record Truncate(int dir, String path, long size, long mtimeNanos) implements Change {}

  record Fallocate(int dir, String path, int mode, long offset, long length, long mtimeNanos)
      implements Change {}

  /** The modification time a data change leaves as the secondary's write made it. */
  long KEEP_TIME = 0;

  /** A regular file: created if missing (owner and mode as on the primary), truncated if asked. */
  record Create(int dir, String path, int mode, int uid, int gid, boolean truncate)
      implements Change {}

  record Mknod(int dir, String path, int mode, long rdev, int uid, int gid) implements Change {}

  record Mkdir(int dir, String path, int mode, int uid, int gid) implements Change {}

  record Symlink(int dir, String path, String target, int uid, int gid) implements Change {}

  record Unlink(int dir, String path) implements Change {}

  record Rmdir(int dir, String path) implements Change {}

  /** A whole subtree removed (reintegration: what the primary does not have). */
  record RemoveTree(int dir, String path) implements Change {}

  record Rename(int dir, String path, String target, int flags) implements Change {}

  record Link(int dir, String path, String target) implements Change {}

  record Chmod(int dir, String path, int mode) implements Change {}

  record Chown(int dir, String path, int uid, int gid) implements Change {}

  record Times(int dir, String path, long atimeNanos, long mtimeNanos) implements Change {}

  record SetXattr(int dir, String path, String name, byte[] value, int flags) implements Change {}

  record RemoveXattr(int dir, String path, String name) implements Change {}

  /**
   * Reintegration: the file's replicated extended attributes are exactly {@code names} (values
   * follow as {@link SetXattr}s): the others of the same kinds are removed.
   */
  record KeepXattrs(int dir, String path, List<String> names, boolean acl) implements Change {}

  /** fsync of one file or directory: acknowledged once the secondary's copy is on disk. */
  record Sync(int dir, String path, boolean dataOnly) implements Change {
    @Override
    public boolean barrier() {
      return true;
    }
  }

  /**
   * Online verify (beyond SafeKit, as DRBD's): the secondary computes the same {@link Checksums} of
   * its copy — of a zone of a file's data, of a file's attributes, or of a directory's names — once
   * every change before this one is applied, and answers {@link #SAME} or {@link #DIFFERS} instead
   * of an errno. Queued under the same locks as writes, it compares like with like while the
   * application goes on.
   */
  record Verify(int dir, String path, int kind, long offset, long length, long checksum)
      implements Change {
    static final int DATA = 0;
    static final int ATTRIBUTES = 1;
    static final int NAMES = 2;

    @Override
    public boolean barrier() {
      return true;
    }
  }

  /** The answers to a {@link Verify}. */
  int SAME = 0;

  int DIFFERS = -1;

  /** Every replicated directory on disk ({@code syncfs}): lets the primary forget old zones. */
  record Flush(int dir, String path) implements Change {
    @Override
    public boolean barrier() {
      return true;
    }
  }
}
