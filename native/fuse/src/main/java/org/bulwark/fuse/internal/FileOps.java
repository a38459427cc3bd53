package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.Underlying.fh;
import static org.bulwark.fuse.internal.Underlying.rel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.bulwark.api.fs.Errno;
import org.bulwark.api.fs.FileOperation;

/**
 * Data operations of the pass-through: attributes, open/create, read, write, truncate, fallocate,
 * flush, release, fsync, lseek, statfs. The file handle is the descriptor of the real file; data
 * goes straight between libfuse's request buffer and the descriptor (no copy in Java).
 */
final class FileOps {
  /**
   * O_APPEND is dropped underneath too: the kernel already turns an append into a write at the end
   * of file as it knows it (under the inode lock), and that offset is what the interceptor sees and
   * replicates; an O_APPEND descriptor underneath would ignore it and could write elsewhere when an
   * O_TRUNC open races the append (found by the replication model test).
   */
  private static final int DROPPED_OPEN_FLAGS =
      Libc.O_CREAT | Libc.O_EXCL | Libc.O_DIRECT | Libc.O_APPEND;

  private final Underlying under;
  private final Guard guard;
  private final RemovePrivs removePrivs;

  FileOps(Underlying under, Guard guard) {
    this.under = under;
    this.guard = guard;
    this.removePrivs = new RemovePrivs(guard);
  }

  /**
   * A write-only open gets direct I/O: the kernel then sends each write straight from the
   * application's buffer, instead of first copying it into pages of its own cache that nothing can
   * read back through this descriptor, and it skips the {@code security.capability} probe before
   * each write. Nothing else changes for a descriptor that cannot be read or mapped (mmap needs
   * read access), and the kernel still drops other openers' cached pages over the written range.
   * Each write still reaches the interceptor before the application's call returns. What the kernel
   * leaves to the file system on this path, the driver does ({@link RemovePrivs}, and the sync of
   * an O_SYNC/O_DSYNC write in {@link #write}).
   */
  private static void setHandle(Pointer fi, int flags, int fd) {
    if ((flags & Libc.O_ACCMODE) == Libc.O_WRONLY) {
      Underlying.setDirectWritesFh(fi, fd);
    } else {
      Underlying.setFh(fi, fd);
    }
  }

  int getattr(Pointer path, Pointer stat, Pointer fi) {
    try {
      if (fi != null) {
        Libc.fstat(fh(fi), stat);
      } else if (path == null) {
        return -Errno.ENOENT;
      } else if (Libc.fstatat(under.rootFd, rel(path), stat, Libc.AT_SYMLINK_NOFOLLOW) != 0) {
        return -Native.getLastError();
      }
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int open(Pointer path, Pointer fi) {
    try {
      int flags = fi.getInt(FuseStructs.FI_FLAGS);
      boolean writes = (flags & Libc.O_ACCMODE) != Libc.O_RDONLY || (flags & Libc.O_TRUNC) != 0;
      if (writes && guard.refuse() != 0) {
        return guard.refuse();
      }
      FileOperation op =
          (flags & Libc.O_TRUNC) != 0 && guard.intercepting()
              ? new FileOperation.Truncate(Guard.caller(), Guard.text(path), 0)
              : null;
      return guard.call(
          op,
          () -> {
            int fd =
                Libc.openat(
                    under.rootFd, rel(path), (flags & ~DROPPED_OPEN_FLAGS) | Libc.O_CLOEXEC, 0);
            setHandle(fi, flags, fd);
          });
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int create(Pointer path, int mode, Pointer fi) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      int flags = fi.getInt(FuseStructs.FI_FLAGS);
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.Create(Guard.caller(), Guard.text(path), mode, flags)
              : null;
      Pointer rel = rel(path);
      int base = (flags & ~DROPPED_OPEN_FLAGS) | Libc.O_CLOEXEC;
      return guard.call(
          op,
          () -> {
            int fd;
            try {
              // O_EXCL tells whether this call created the file, so that only a new file is
              // adopted.
              fd = Libc.openat(under.rootFd, rel, base | Libc.O_CREAT | Libc.O_EXCL, mode);
              try {
                under.adopt(fd, rel, mode, Guard.caller());
              } catch (LastErrorException e) {
                Libc.close(fd);
                throw e;
              }
            } catch (LastErrorException e) {
              if (e.getErrorCode() != Errno.EEXIST || (flags & Libc.O_EXCL) != 0) {
                throw e;
              }
              fd = Libc.openat(under.rootFd, rel, base, 0);
            }
            setHandle(fi, flags, fd);
          });
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int read(Pointer path, Pointer buf, long size, long offset, Pointer fi) {
    try {
      return (int) Libc.pread(fh(fi), buf, size, offset);
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int write(Pointer path, Pointer buf, long size, long offset, Pointer fi) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      long handle = fi.getLong(FuseStructs.FI_FH);
      int fd = (int) handle;
      boolean direct = (handle & Underlying.FH_DIRECT_WRITES) != 0;
      if (direct) {
        int rc = removePrivs.before(path, fd);
        if (rc != 0) {
          return rc;
        }
      }
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.Write(
                  Guard.caller(),
                  Guard.text(path),
                  offset,
                  buf.getByteBuffer(0, size).asReadOnlyBuffer())
              : null;
      int rc = guard.before(op);
      if (rc != 0) {
        return rc;
      }
      int err = 0;
      int written = 0;
      try {
        written = (int) Libc.pwrite(fd, buf, size, offset);
      } catch (LastErrorException e) {
        err = e.getErrorCode();
      }
      int result = guard.after(op, err, written);
      if (direct && result > 0) {
        // The page-cache path syncs an O_SYNC/O_DSYNC write with an fsync request of its own
        // (generic_write_sync); the direct path leaves it to us. libfuse passes the write's flags,
        // so a per-write RWF_SYNC/RWF_DSYNC is seen too.
        int flags = fi.getInt(FuseStructs.FI_FLAGS);
        if ((flags & Libc.O_DSYNC) != 0) {
          int synced = fsync(path, (flags & Libc.O_SYNC) == Libc.O_SYNC ? 0 : 1, fi);
          if (synced != 0) {
            return synced;
          }
        }
      }
      return result;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int truncate(Pointer path, long size, Pointer fi) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.Truncate(Guard.caller(), Guard.text(path), size)
              : null;
      return guard.call(
          op,
          () -> {
            if (fi != null) {
              Libc.ftruncate(fh(fi), size);
            } else {
              int fd = Libc.openat(under.rootFd, rel(path), Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
              try {
                Libc.ftruncate(fd, size);
              } finally {
                Libc.close(fd);
              }
            }
          });
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int fallocate(Pointer path, int mode, long offset, long length, Pointer fi) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.Fallocate(Guard.caller(), Guard.text(path), mode, offset, length)
              : null;
      return guard.call(op, () -> Libc.fallocate(fh(fi), mode, offset, length));
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  /** close(2) of one descriptor of the file: emulated by closing a duplicate (POSIX locks). */
  int flush(Pointer path, Pointer fi) {
    try {
      Libc.close(Libc.dup(fh(fi)));
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int release(Pointer path, Pointer fi) {
    try {
      Libc.close(fh(fi));
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  /** fsync and fsyncdir: both handles are plain descriptors. */
  int fsync(Pointer path, int dataOnly, Pointer fi) {
    try {
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.Sync(Guard.caller(), Guard.text(path), dataOnly != 0)
              : null;
      return guard.call(
          op,
          () -> {
            if (dataOnly != 0) {
              Libc.fdatasync(fh(fi));
            } else {
              Libc.fsync(fh(fi));
            }
          });
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  /** SEEK_DATA / SEEK_HOLE on sparse files. */
  long lseek(Pointer path, long offset, int whence, Pointer fi) {
    try {
      return Libc.lseek(fh(fi), offset, whence);
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int statfs(Pointer path, Pointer statvfs) {
    try {
      Libc.fstatvfs(under.rootFd, statvfs);
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }
}
