package org.bulwark.fuse.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import org.bulwark.api.fs.Caller;
import org.bulwark.api.fs.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real directory under the mount, reached only through a descriptor opened before mounting
 * (issue 6 §2): every call is an {@code *at} call relative to it, so the mount over the same path
 * never sees the driver's own traffic.
 */
final class Underlying {
  private static final Logger LOG = LoggerFactory.getLogger(Underlying.class);
  private static final Memory DOT = new Memory(2);

  /** PATH_MAX plus the /proc prefix: one per worker thread, reused. */
  private static final ThreadLocal<Memory> PROC_PATH =
      ThreadLocal.withInitial(() -> new Memory(4096 + 64));

  static {
    DOT.setString(0, ".", "US-ASCII");
  }

  final int rootFd;
  private final int processUmask;
  private final byte[] procPrefix;

  Underlying(int rootFd) {
    this.rootFd = rootFd;
    // The JVM's umask would strip bits the application asked for (the kernel already applied the
    // application's umask to the mode it sends); read it once to undo it where it bites.
    int mask = Libc.umask(022);
    Libc.umask(mask);
    this.processUmask = mask;
    this.procPrefix = ("/proc/self/fd/" + rootFd + "/").getBytes(StandardCharsets.US_ASCII);
  }

  /** The kernel's "/a/b" as "a/b" relative to {@link #rootFd} ("/" as "."), without copying. */
  static Pointer rel(Pointer path) {
    return path.getByte(1) == 0 ? DOT : path.share(1);
  }

  /**
   * Bit of a file handle above the descriptor (which {@link #fh} keeps, in the low 32 bits): the
   * file was opened for direct-I/O writes (see {@link FileOps#open}).
   */
  static final long FH_DIRECT_WRITES = 1L << 32;

  static int fh(Pointer fi) {
    return (int) fi.getLong(FuseStructs.FI_FH);
  }

  static void setFh(Pointer fi, int fd) {
    fi.setLong(FuseStructs.FI_FH, fd);
  }

  /** The handle of a write-only open: the kernel sends its writes without its page cache. */
  static void setDirectWritesFh(Pointer fi, int fd) {
    fi.setLong(FuseStructs.FI_FH, fd | FH_DIRECT_WRITES);
    fi.setInt(FuseStructs.FI_BITS, fi.getInt(FuseStructs.FI_BITS) | FuseStructs.FI_BIT_DIRECT_IO);
  }

  /**
   * The path through {@code /proc/self/fd/<root>/} for the calls that have no {@code *at} form (the
   * xattr family): the magic link resolves to the directory underneath, not to the mount.
   */
  Memory procPath(Pointer path) {
    int len = (int) path.indexOf(0, (byte) 0);
    Memory m = PROC_PATH.get();
    m.write(0, procPrefix, 0, procPrefix.length);
    int at = procPrefix.length;
    if (len <= 1) {
      m.setByte(at++, (byte) '.');
    } else {
      byte[] tail = path.getByteArray(1, len - 1);
      m.write(at, tail, 0, tail.length);
      at += tail.length;
    }
    m.setByte(at, (byte) 0);
    return m;
  }

  /**
   * Gives a node the driver just created (as root) to its caller: owner and group as a local
   * creation would (the group of a set-group-ID parent is kept), and the mode bits the JVM's umask
   * removed. {@code fd} is the new file's descriptor, or -1 to work by {@code rel}.
   */
  void adopt(int fd, Pointer rel, int mode, Caller caller) {
    boolean chowned = false;
    if (caller.uid() != 0 || caller.gid() != 0) {
      Memory st = new Memory(Libc.STAT_SIZE);
      if (fd >= 0) {
        Libc.fstat(fd, st);
      } else {
        if (Libc.fstatat(rootFd, rel, st, Libc.AT_SYMLINK_NOFOLLOW) != 0) {
          throw new LastErrorException(Native.getLastError());
        }
      }
      // gid != 0: the kernel took it from a set-group-ID parent; keep it as a local mkdir would.
      int gid = st.getInt(Libc.ST_GID) != 0 ? -1 : caller.gid();
      if (fd >= 0) {
        Libc.fchown(fd, caller.uid(), gid);
      } else {
        Libc.fchownat(rootFd, rel, caller.uid(), gid, Libc.AT_SYMLINK_NOFOLLOW);
      }
      chowned = true;
    }
    int bits = mode & 07777;
    boolean lost = (bits & processUmask) != 0 || (chowned && (bits & 06000) != 0);
    if (lost && (mode & 0170000) != 0120000) {
      if (fd >= 0) {
        Libc.fchmod(fd, bits);
      } else {
        Libc.fchmodat(rootFd, rel, bits, 0);
      }
    }
  }

  /** Maps what a callback threw to the negated errno the kernel expects. */
  static int errno(Throwable t) {
    if (t instanceof LastErrorException) {
      return -((LastErrorException) t).getErrorCode();
    }
    LOG.error("FUSE operation failed unexpectedly: EIO returned", t);
    return -Errno.EIO;
  }

  /** The errno of a failed local call, for {@link Guard#after}. */
  static int code(LastErrorException e) {
    return e.getErrorCode();
  }
}
