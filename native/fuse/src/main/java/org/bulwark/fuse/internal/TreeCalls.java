package org.bulwark.fuse.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The C library calls of {@link ConfinedTree}, direct-mapped. Unlike {@link Libc} (the FUSE
 * driver's, tuned separately) none of them throws: each returns -1 and leaves errno in {@link
 * Native#getLastError()}, so routine failures (a stat of a missing name, an absent xattr) cost no
 * Java exception. Paths are NUL-terminated byte arrays built by {@link TreePath}.
 *
 * <p>Only x86_64 and aarch64: both number the calls added since Linux 5.1 alike ({@code openat2}
 * 437), but their {@code O_DIRECTORY} and {@code O_NOFOLLOW} differ.
 */
final class TreeCalls {
  static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
  static final boolean SUPPORTED = AARCH64 || "amd64".equals(System.getProperty("os.arch"));

  static final long SYS_OPENAT2 = 437;
  static final long OPEN_HOW_SIZE = 24;
  static final long RESOLVE_NO_MAGICLINKS = 0x02;
  static final long RESOLVE_NO_SYMLINKS = 0x04;
  static final long RESOLVE_BENEATH = 0x08;
  static final long RESOLVE_CONFINED =
      RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

  static final int AT_FDCWD = -100;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int AT_REMOVEDIR = 0x200;
  static final int AT_EMPTY_PATH = 0x1000;

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_RDWR = 2;
  static final int O_ACCMODE = 3;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_NOCTTY = 0400;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_NONBLOCK = 04000;
  static final int O_DSYNC = 010000;
  static final int O_LARGEFILE = AARCH64 ? 0400000 : 0100000;
  static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
  static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
  static final int O_NOATIME = 01000000;
  static final int O_CLOEXEC = 02000000;
  static final int O_SYNC = 04010000;
  static final int O_PATH = 010000000;

  static final int SEEK_DATA = 3;
  static final int SEEK_HOLE = 4;
  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFREG = 0100000;
  static final int S_IFLNK = 0120000;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EIO = 5;
  static final int ENXIO = 6;
  static final int EBADF = 9;
  static final int EBUSY = 16;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int EISDIR = 21;
  static final int EINVAL = 22;
  static final int ELOOP = 40;
  static final int ENODATA = 61;
  static final int EOPNOTSUPP = 95;

  static {
    Native.register(TreeCalls.class, NativeLibrary.getInstance("c"));
  }

  private TreeCalls() {}

  /** {@code syscall(SYS_openat2, dirfd, path, &how, sizeof how)}. */
  static native long syscall(long number, long dirfd, byte[] path, Pointer how, long size);

  static native int open(byte[] path, int flags, int mode);

  static native int close(int fd);

  static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer statx);

  static native int fstatfs(int fd, Pointer statfs);

  static native long getdents64(int fd, Pointer buf, long size);

  static native long readlinkat(int dirfd, byte[] path, Pointer buf, long size);

  static native int mkdirat(int dirfd, byte[] path, int mode);

  static native int mknodat(int dirfd, byte[] path, int mode, long dev);

  static native int unlinkat(int dirfd, byte[] path, int flags);

  static native int renameat2(
      int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

  static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

  static native int symlinkat(byte[] target, int newdirfd, byte[] linkpath);

  static native int chmod(byte[] path, int mode);

  static native int fchmod(int fd, int mode);

  static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags);

  static native int utimensat(int dirfd, byte[] path, Pointer times, int flags);

  /** glibc refuses utimensat with a null path: the descriptor form has its own call. */
  static native int futimens(int fd, Pointer times);

  static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags);

  static native long lgetxattr(byte[] path, byte[] name, Pointer value, long size);

  static native long llistxattr(byte[] path, Pointer list, long size);

  static native int lremovexattr(byte[] path, byte[] name);

  static native int syncfs(int fd);

  static native int fsync(int fd);

  static native int fdatasync(int fd);

  /**
   * {@code flags}: {@code SYNC_FILE_RANGE_WAIT_BEFORE} 1, {@code _WRITE} 2, {@code _WAIT_AFTER} 4.
   */
  static native int sync_file_range(int fd, long offset, long nbytes, int flags);

  /** {@code buf} is an address: a direct buffer's, without a {@link Pointer} per call. */
  static native long pread(int fd, long buf, long count, long offset);

  static native long pwrite(int fd, long buf, long count, long offset);

  static native int ftruncate(int fd, long length);

  static native int fallocate(int fd, int mode, long offset, long length);

  static native long lseek(int fd, long offset, int whence);

  private static native Pointer strerror(int errnum);

  /** {@code struct open_how} (flags, mode, resolve): one per thread, reused. */
  private static final ThreadLocal<Memory> HOW = ThreadLocal.withInitial(() -> new Memory(24));

  /**
   * {@code openat2(dirfd, path, {flags | O_CLOEXEC, mode, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
   * RESOLVE_NO_MAGICLINKS})}: the descriptor, or {@code -errno}.
   */
  static int openBeneath(int dirfd, byte[] path, int flags, int mode) {
    Memory how = HOW.get();
    how.setLong(0, (flags | O_CLOEXEC) & 0xffffffffL);
    how.setLong(8, (flags & O_CREAT) != 0 ? mode : 0);
    how.setLong(16, RESOLVE_CONFINED);
    long fd;
    do {
      fd = syscall(SYS_OPENAT2, dirfd, path, how, OPEN_HOW_SIZE);
    } while (fd < 0 && Native.getLastError() == EINTR);
    return fd < 0 ? -Native.getLastError() : (int) fd;
  }

  /** {@code -errno} of the call that just failed. */
  static int lastError() {
    return -Native.getLastError();
  }

  /** "/proc/self/fd/N" (and "/name") as a C string: how the calls without an *at form get in. */
  static byte[] procFd(int fd, byte[] name) {
    byte[] prefix = ("/proc/self/fd/" + fd).getBytes(StandardCharsets.US_ASCII);
    int nameLen = name == null ? 0 : name.length; // name ends with its NUL
    byte[] out = new byte[prefix.length + (name == null ? 1 : 1 + nameLen)];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    if (name != null) {
      out[prefix.length] = '/';
      System.arraycopy(name, 0, out, prefix.length + 1, nameLen);
    }
    return out;
  }

  static String describe(int errno) {
    Pointer p = strerror(errno);
    return p == null ? "errno " + errno : p.getString(0, "UTF-8");
  }

  static void closeQuietly(int fd) {
    if (fd >= 0) {
      close(fd);
    }
  }
}
