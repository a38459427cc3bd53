package org.bulwark.fuse.internal;

import com.sun.jna.Callback;

/**
 * The C signatures of {@code struct fuse_operations} members, one JNA callback type per shape.
 * Public because JNA invokes them reflectively; the package is private to the bundle.
 *
 * <p>Every C pointer is declared as a {@code long} (LP64: same registers as a pointer). With only
 * primitive parameters, JNA's direct callback mode (see {@link FuseOperations}) passes the
 * arguments as they are: no {@code Pointer} object is built in native code for each argument, no
 * boxing, no argument array, no reflective call. {@link FuseOperations} wraps the addresses the
 * operation needs in {@code Pointer}s on the Java side, which costs a plain allocation.
 */
public final class FuseCallbacks {
  private FuseCallbacks() {}

  /** getattr, utimens: {@code (path, struct stat* | timespec[2], fi)}. */
  public interface PathPtrFi extends Callback {
    int invoke(long path, long ptr, long fi);
  }

  /** readlink, listxattr: {@code (path, buf, size)}. */
  public interface PathBufSize extends Callback {
    int invoke(long path, long buf, long size);
  }

  /** mknod. */
  public interface PathModeDev extends Callback {
    int invoke(long path, int mode, long rdev);
  }

  /** mkdir. */
  public interface PathMode extends Callback {
    int invoke(long path, int mode);
  }

  /** unlink, rmdir. */
  public interface PathOnly extends Callback {
    int invoke(long path);
  }

  /** symlink, link, removexattr, and (path, fi) ops: open, flush, release, statfs, opendir … */
  public interface PathPtr extends Callback {
    int invoke(long path, long other);
  }

  /** rename. */
  public interface PathPathFlags extends Callback {
    int invoke(long from, long to, int flags);
  }

  /** chmod, create, fsync, fsyncdir: {@code (path, int, fi)}. */
  public interface PathIntFi extends Callback {
    int invoke(long path, int value, long fi);
  }

  /** chown. */
  public interface PathUidGidFi extends Callback {
    int invoke(long path, int uid, int gid, long fi);
  }

  /** truncate. */
  public interface PathOffFi extends Callback {
    int invoke(long path, long size, long fi);
  }

  /** read, write. */
  public interface PathBufSizeOffFi extends Callback {
    int invoke(long path, long buf, long size, long offset, long fi);
  }

  /** setxattr. */
  public interface SetXattr extends Callback {
    int invoke(long path, long name, long value, long size, int flags);
  }

  /** getxattr. */
  public interface GetXattr extends Callback {
    int invoke(long path, long name, long value, long size);
  }

  /** readdir. */
  public interface Readdir extends Callback {
    int invoke(long path, long buf, long filler, long offset, long fi, int flags);
  }

  /** init: returns the private data pointer (none: 0). */
  public interface Init extends Callback {
    long invoke(long conn, long config);
  }

  /** fallocate. */
  public interface Fallocate extends Callback {
    int invoke(long path, int mode, long offset, long length, long fi);
  }

  /** lseek. */
  public interface Lseek extends Callback {
    long invoke(long path, long offset, int whence, long fi);
  }
}
