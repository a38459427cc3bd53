package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.Underlying.fh;
import static org.bulwark.fuse.internal.Underlying.rel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import org.bulwark.api.fs.Caller;
import org.bulwark.api.fs.FileOperation;

/**
 * Namespace and metadata operations of the pass-through: mknod, mkdir, unlink, rmdir, symlink,
 * rename, link, readlink, chmod, chown, utimens. Each mutating one goes through the {@link Guard}.
 */
final class NameOps {
  private static final long UTIME_NOW = (1L << 30) - 1;
  private static final long UTIME_OMIT = (1L << 30) - 2;

  private final Underlying under;
  private final Guard guard;

  NameOps(Underlying under, Guard guard) {
    this.under = under;
    this.guard = guard;
  }

  private int mutate(FileOperation op, Guard.Local local) {
    try {
      int refused = guard.refuse();
      if (refused != 0) {
        return refused;
      }
      return guard.call(op, local);
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  private Caller callerIf() {
    return guard.intercepting() ? Guard.caller() : null;
  }

  int mknod(Pointer path, int mode, long rdev) {
    Caller c = Guard.caller();
    FileOperation op =
        guard.intercepting() ? new FileOperation.Mknod(c, Guard.text(path), mode, rdev) : null;
    return mutate(
        op,
        () -> {
          Pointer rel = rel(path);
          Libc.mknodat(under.rootFd, rel, mode, rdev);
          adoptOrUndo(rel, mode, c, 0);
        });
  }

  int mkdir(Pointer path, int mode) {
    Caller c = Guard.caller();
    FileOperation op =
        guard.intercepting() ? new FileOperation.Mkdir(c, Guard.text(path), mode) : null;
    return mutate(
        op,
        () -> {
          Pointer rel = rel(path);
          Libc.mkdirat(under.rootFd, rel, mode);
          adoptOrUndo(rel, mode | 0040000, c, Libc.AT_REMOVEDIR);
        });
  }

  int symlink(Pointer content, Pointer path) {
    Caller c = Guard.caller();
    FileOperation op =
        guard.intercepting()
            ? new FileOperation.Symlink(c, Guard.text(path), Guard.text(content))
            : null;
    return mutate(
        op,
        () -> {
          Pointer rel = rel(path);
          Libc.symlinkat(content, under.rootFd, rel);
          adoptOrUndo(rel, 0120777, c, 0);
        });
  }

  /** A node we could not give to its caller must not stay behind owned by root. */
  private void adoptOrUndo(Pointer rel, int mode, Caller c, int unlinkFlags) {
    try {
      under.adopt(-1, rel, mode, c);
    } catch (LastErrorException e) {
      try {
        Libc.unlinkat(under.rootFd, rel, unlinkFlags);
      } catch (LastErrorException ignored) {
        // the adoption error is the one to report
      }
      throw e;
    }
  }

  int unlink(Pointer path) {
    FileOperation op =
        guard.intercepting() ? new FileOperation.Unlink(callerIf(), Guard.text(path)) : null;
    return mutate(op, () -> Libc.unlinkat(under.rootFd, rel(path), 0));
  }

  int rmdir(Pointer path) {
    FileOperation op =
        guard.intercepting() ? new FileOperation.Rmdir(callerIf(), Guard.text(path)) : null;
    return mutate(op, () -> Libc.unlinkat(under.rootFd, rel(path), Libc.AT_REMOVEDIR));
  }

  int rename(Pointer from, Pointer to, int flags) {
    FileOperation op =
        guard.intercepting()
            ? new FileOperation.Rename(callerIf(), Guard.text(from), Guard.text(to), flags)
            : null;
    return mutate(op, () -> Libc.renameat2(under.rootFd, rel(from), under.rootFd, rel(to), flags));
  }

  int link(Pointer from, Pointer to) {
    FileOperation op =
        guard.intercepting()
            ? new FileOperation.Link(callerIf(), Guard.text(from), Guard.text(to))
            : null;
    return mutate(op, () -> Libc.linkat(under.rootFd, rel(from), under.rootFd, rel(to), 0));
  }

  int readlink(Pointer path, Pointer buf, long size) {
    try {
      long n = Libc.readlinkat(under.rootFd, rel(path), buf, size - 1);
      buf.setByte(n, (byte) 0);
      return 0;
    } catch (Throwable t) {
      return Underlying.errno(t);
    }
  }

  int chmod(Pointer path, int mode, Pointer fi) {
    FileOperation op =
        guard.intercepting() ? new FileOperation.Chmod(callerIf(), Guard.text(path), mode) : null;
    return mutate(
        op,
        () -> {
          if (fi != null) {
            Libc.fchmod(fh(fi), mode);
          } else {
            Libc.fchmodat(under.rootFd, rel(path), mode, 0);
          }
        });
  }

  int chown(Pointer path, int uid, int gid, Pointer fi) {
    FileOperation op =
        guard.intercepting()
            ? new FileOperation.Chown(callerIf(), Guard.text(path), uid, gid)
            : null;
    return mutate(
        op,
        () -> {
          if (fi != null) {
            Libc.fchown(fh(fi), uid, gid);
          } else {
            Libc.fchownat(under.rootFd, rel(path), uid, gid, Libc.AT_SYMLINK_NOFOLLOW);
          }
        });
  }

  int utimens(Pointer path, Pointer times, Pointer fi) {
    FileOperation op =
        guard.intercepting()
            ? new FileOperation.SetTimes(
                callerIf(), Guard.text(path), nanos(times, 0), nanos(times, 16))
            : null;
    return mutate(
        op,
        () -> {
          if (fi != null) {
            Libc.futimens(fh(fi), times);
          } else {
            Libc.utimensat(under.rootFd, rel(path), times, Libc.AT_SYMLINK_NOFOLLOW);
          }
        });
  }

  private static long nanos(Pointer times, int at) {
    if (times == null) {
      return FileOperation.SetTimes.NOW;
    }
    long sec = times.getLong(at);
    long nsec = times.getLong(at + 8);
    if (nsec == UTIME_NOW) {
      return FileOperation.SetTimes.NOW;
    }
    if (nsec == UTIME_OMIT) {
      return FileOperation.SetTimes.OMIT;
    }
    return sec * 1_000_000_000L + nsec;
  }
}
