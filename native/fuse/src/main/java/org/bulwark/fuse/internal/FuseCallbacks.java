package org.bulwark.fuse.internal;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * The C signatures of {@code struct fuse_operations} members, one JNA callback type per shape.
 * Public because JNA invokes them reflectively; the package is private to the bundle.
 */
public final class FuseCallbacks {
  private FuseCallbacks() {}

  /** getattr, utimens: {@code (path, struct stat* | timespec[2], fi)}. */
  public interface PathPtrFi extends Callback {
    int invoke(Pointer path, Pointer ptr, Pointer fi);
  }

  /** readlink, listxattr: {@code (path, buf, size)}. */
  public interface PathBufSize extends Callback {
    int invoke(Pointer path, Pointer buf, long size);
  }

  /** mknod. */
  public interface PathModeDev extends Callback {
    int invoke(Pointer path, int mode, long rdev);
  }

  /** mkdir. */
  public interface PathMode extends Callback {
    int invoke(Pointer path, int mode);
  }

  /** unlink, rmdir. */
  public interface PathOnly extends Callback {
    int invoke(Pointer path);
  }

  /** symlink, link, removexattr, and (path, fi) ops: open, flush, release, statfs, opendir … */
  public interface PathPtr extends Callback {
    int invoke(Pointer path, Pointer other);
  }

  /** rename. */
  public interface PathPathFlags extends Callback {
    int invoke(Pointer from, Pointer to, int flags);
  }

  /** chmod, create, fsync, fsyncdir: {@code (path, int, fi)}. */
  public interface PathIntFi extends Callback {
    int invoke(Pointer path, int value, Pointer fi);
  }

  /** chown. */
  public interface PathUidGidFi extends Callback {
    int invoke(Pointer path, int uid, int gid, Pointer fi);
  }

  /** truncate. */
  public interface PathOffFi extends Callback {
    int invoke(Pointer path, long size, Pointer fi);
  }

  /** read, write. */
  public interface PathBufSizeOffFi extends Callback {
    int invoke(Pointer path, Pointer buf, long size, long offset, Pointer fi);
  }

  /** setxattr. */
  public interface SetXattr extends Callback {
    int invoke(Pointer path, Pointer name, Pointer value, long size, int flags);
  }

  /** getxattr. */
  public interface GetXattr extends Callback {
    int invoke(Pointer path, Pointer name, Pointer value, long size);
  }

  /** readdir. */
  public interface Readdir extends Callback {
    int invoke(Pointer path, Pointer buf, Pointer filler, long offset, Pointer fi, int flags);
  }

  /** init. */
  public interface Init extends Callback {
    Pointer invoke(Pointer conn, Pointer config);
  }

  /** fallocate. */
  public interface Fallocate extends Callback {
    int invoke(Pointer path, int mode, long offset, long length, Pointer fi);
  }

  /** lseek. */
  public interface Lseek extends Callback {
    long invoke(Pointer path, long offset, int whence, Pointer fi);
  }
}
