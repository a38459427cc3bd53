package org.bulwark.rfs.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * System calls as an application makes them through a mount, for tests that need what Java does not
 * offer (renameat2 flags, mknod, fallocate, lchown, lsetxattr, O_APPEND descriptors, stat blocks)
 * and the errno of a failed call ({@link #errno()}).
 */
final class Posix {
  interface C extends Library {
    int open(String path, int flags, int mode);

    int close(int fd);

    long pwrite(int fd, byte[] buf, long count, long offset);

    long write(int fd, byte[] buf, long count);

    long pread(int fd, byte[] buf, long count, long offset);

    long lseek(int fd, long offset, int whence);

    int ftruncate(int fd, long size);

    int fallocate(int fd, int mode, long offset, long len);

    int fsync(int fd);

    int mkdir(String path, int mode);

    int rmdir(String path);

    int unlink(String path);

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    int link(String from, String to);

    int symlink(String target, String linkpath);

    int chmod(String path, int mode);

    int lchown(String path, int uid, int gid);

    int utimensat(int dirfd, String path, long[] times, int flags);

    int lsetxattr(String path, String name, byte[] value, long size, int flags);

    int lremovexattr(String path, String name);

    long lgetxattr(String path, String name, byte[] value, long size);

    int mknod(String path, int mode, long dev);

    int umask(int mask);

    int lstat(String path, Pointer stat);

    int fstat(int fd, Pointer stat);
  }

  static final C C = Native.load("c", C.class);
  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_NONBLOCK = 04000;
  static final int O_DIRECTORY = 0200000;
  static final int O_NOFOLLOW = 0400000;
  static final int O_CLOEXEC = 02000000;
  static final int SEEK_DATA = 3;
  static final int SEEK_HOLE = 4;
  static final int ENXIO = 6;
  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int RENAME_NOREPLACE = 1;
  static final int RENAME_EXCHANGE = 2;
  static final int FALLOC_PUNCH_HOLE = 0x02 | 0x01;
  static final int XATTR_CREATE = 1;
  static final int XATTR_REPLACE = 2;
  static final int S_IFIFO = 0010000;
  static final long UTIME_NOW = (1L << 30) - 1;

  private Posix() {}

  static int errno() {
    return Native.getLastError();
  }

  /** The fields of {@code stat} the tests look at (x86_64 layout). */
  record Stat(long ino, long nlink, int mode, int uid, int gid, long size, long blocks) {}

  /** lstat, or null with {@link #errno()} set. */
  static Stat lstat(String path) {
    Memory st = new Memory(144);
    if (C.lstat(path, st) != 0) {
      return null;
    }
    return stat(st);
  }

  static Stat fstat(int fd) {
    Memory st = new Memory(144);
    if (C.fstat(fd, st) != 0) {
      throw new AssertionError("fstat errno " + errno());
    }
    return stat(st);
  }

  private static Stat stat(Memory st) {
    return new Stat(
        st.getLong(8),
        st.getLong(16),
        st.getInt(24),
        st.getInt(28),
        st.getInt(32),
        st.getLong(48),
        st.getLong(64));
  }

  /** The process's umask (read by setting it and setting it back). */
  static int umask() {
    int old = C.umask(022);
    C.umask(old);
    return old;
  }

  /** Opens or fails the test with the errno. */
  static int openOrFail(String path, int flags, int mode) {
    int fd = C.open(path, flags | O_CLOEXEC, mode);
    if (fd < 0) {
      throw new AssertionError("open " + path + ": errno " + errno());
    }
    return fd;
  }

  /** Writes all of {@code data} at {@code offset} or fails the test. */
  static void pwriteOrFail(int fd, byte[] data, long offset) {
    long n = C.pwrite(fd, data, data.length, offset);
    if (n != data.length) {
      throw new AssertionError("pwrite at " + offset + ": " + n + " errno " + errno());
    }
  }

  static void check(String what, int rc) {
    if (rc != 0) {
      throw new AssertionError(what + ": errno " + errno());
    }
  }

  static String readAt(int fd, int length, long offset) {
    byte[] b = new byte[length];
    long n = C.pread(fd, b, length, offset);
    if (n < 0) {
      throw new AssertionError("pread errno " + errno());
    }
    return new String(b, 0, (int) n, StandardCharsets.ISO_8859_1);
  }

  /**
   * fsync of a file or directory through a primary's mount: a durability barrier that the secondary
   * acknowledges once it has applied every change sent before it (spec B.7).
   */
  static void fsync(String path) {
    int fd = openOrFail(path, O_RDONLY | O_NOFOLLOW, 0);
    try {
      check("fsync " + path, C.fsync(fd));
    } finally {
      C.close(fd);
    }
  }
}
