package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.Underlying.fh;
import static org.bulwark.fuse.internal.Underlying.rel;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.bulwark.api.fs.FileOperation;

/**
 * Directory listing and extended attributes. A directory handle is a descriptor read with {@code
 * getdents64}; libfuse is given the whole listing in one pass (offset 0 mode), names passed as the
 * raw bytes the file system returned.
 */
final class DirOps {
  private static final int DIRENT_BUFFER = 64 * 1024;
  private static final ThreadLocal<Memory> DIRENTS =
      ThreadLocal.withInitial(() -> new Memory(DIRENT_BUFFER));
  private static final ThreadLocal<Memory> STAT =
      ThreadLocal.withInitial(() -> new Memory(Libc.STAT_SIZE));

  private static final int ENOSYS = 38;

  /** {@code struct xattr_args}: value pointer, size, flags. */
  private static final ThreadLocal<Memory> XATTR_ARGS =
      ThreadLocal.withInitial(
          () -> {
            Memory m = new Memory(16);
            m.clear();
            return m;
          });

  /** Whether the kernel has getxattrat; cleared at the first ENOSYS. */
  private volatile boolean getxattrat = true;

  private final Underlying under;
  private final Guard guard;

  DirOps(Underlying under, Guard guard) {
    this.under = under;
    this.guard = guard;
  }

  int opendir(Pointer path, Pointer fi) {
    try {
      int fd =
          Libc.openat(
              under.rootFd, rel(path), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
      Underlying.setFh(fi, fd);
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int readdir(Pointer path, Pointer buf, Pointer filler, long offset, Pointer fi, int flags) {
    try {
      int fd = fh(fi);
      Function fill = Function.getFunction(filler);
      Libc.lseek(fd, 0, 0);
      Memory ents = DIRENTS.get();
      Memory st = STAT.get();
      st.clear();
      Object[] args = new Object[] {buf, null, st, 0L, 0};
      for (long n; (n = Libc.getdents64(fd, ents, DIRENT_BUFFER)) > 0; ) {
        for (int pos = 0; pos < n; ) {
          int reclen = ents.getShort(pos + 16) & 0xffff;
          // Inode and type let `ls`, `find` … skip a stat per entry (DTTOIF: type << 12).
          st.setLong(8, ents.getLong(pos));
          st.setInt(Libc.ST_MODE, (ents.getByte(pos + 18) & 0xff) << 12);
          args[1] = ents.share(pos + FuseStructs.DIRENT_NAME);
          if (fill.invokeInt(args) != 0) {
            return 0;
          }
          pos += reclen;
        }
      }
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int releasedir(Pointer path, Pointer fi) {
    try {
      Libc.close(fh(fi));
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int setxattr(Pointer path, Pointer name, Pointer value, long size, int flags) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.SetXattr(
                  Guard.caller(),
                  Guard.text(path),
                  Guard.text(name),
                  size == 0 ? new byte[0] : value.getByteArray(0, (int) size),
                  flags)
              : null;
      return guard.call(op, () -> Libc.lsetxattr(under.procPath(path), name, value, size, flags));
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int removexattr(Pointer path, Pointer name) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      FileOperation op =
          guard.intercepting()
              ? new FileOperation.RemoveXattr(Guard.caller(), Guard.text(path), Guard.text(name))
              : null;
      return guard.call(op, () -> Libc.lremovexattr(under.procPath(path), name));
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int getxattr(Pointer path, Pointer name, Pointer value, long size) {
    try {
      // The kernel asks for security.capability before every write: getxattrat (Linux 6.13+)
      // saves the /proc walk, which costs more than the rest of the request.
      if (getxattrat) {
        Memory args = XATTR_ARGS.get();
        args.setPointer(0, size == 0 ? null : value);
        args.setLong(8, size);
        long n =
            Libc.syscall(
                Libc.SYS_GETXATTRAT,
                under.rootFd,
                rel(path),
                Libc.AT_SYMLINK_NOFOLLOW,
                name,
                args,
                16);
        if (n >= 0) {
          return (int) n;
        }
        int errno = Native.getLastError();
        if (errno != ENOSYS) {
          return -errno;
        }
        getxattrat = false;
      }
      long n = Libc.lgetxattr(under.procPath(path), name, size == 0 ? null : value, size);
      return n < 0 ? -Native.getLastError() : (int) n;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int listxattr(Pointer path, Pointer list, long size) {
    try {
      long n = Libc.llistxattr(under.procPath(path), size == 0 ? null : list, size);
      return n < 0 ? -Native.getLastError() : (int) n;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }
}
