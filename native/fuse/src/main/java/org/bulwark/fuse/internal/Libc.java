package org.bulwark.fuse.internal;

import com.sun.jna.Callback;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls the pass-through makes, direct-mapped (JNA's fastest path: no reflection per
 * call). Paths are raw C strings ({@link Pointer}) taken as they came from the kernel, so names
 * that are not UTF-8 survive and nothing is copied on the hot path. Every call reports failure with
 * a {@link LastErrorException} carrying errno.
 */
final class Libc {
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
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_DSYNC = 010000;
  static final int O_SYNC = 04010000;
  static final int O_DIRECT = 040000;
  static final int O_DIRECTORY = 0200000;
  static final int O_NOFOLLOW = 0400000;
  static final int O_CLOEXEC = 02000000;
  static final int O_PATH = 010000000;
  static final int MNT_FORCE = 1;
  static final int MNT_DETACH = 2;
  static final int UMOUNT_NOFOLLOW = 8;
  static final int STAT_SIZE = 144;
  static final int ST_MODE = 24;
  static final int ST_UID = 28;
  static final int ST_GID = 32;
  static final int ST_DEV = 0;
  static final int S_ISGID = 02000;

  static {
    Native.register(Libc.class, NativeLibrary.getInstance("c"));
  }

  private Libc() {}

  static native int openat(int dirfd, Pointer path, int flags, int mode) throws LastErrorException;

  static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int dup(int fd) throws LastErrorException;

  static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

  static native long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;

  static native long lseek(int fd, long offset, int whence) throws LastErrorException;

  /** -1 and {@link Native#getLastError()} on failure. */
  static native int fstatat(int dirfd, Pointer path, Pointer stat, int flags);

  static native int fstatat(int dirfd, byte[] path, Pointer stat, int flags)
      throws LastErrorException;

  static native int fstat(int fd, Pointer stat) throws LastErrorException;

  static native int statx(int dirfd, Pointer path, int flags, int mask, Pointer statx)
      throws LastErrorException;

  static final int STATX_TYPE = 0x1;
  static final int STATX_MODE = 0x2;
  static final int STATX_SIZE = 256;
  static final int STX_MODE = 28;

  static native int fstatvfs(int fd, Pointer statvfs) throws LastErrorException;

  static native int mkdirat(int dirfd, Pointer path, int mode) throws LastErrorException;

  static native int mknodat(int dirfd, Pointer path, int mode, long dev) throws LastErrorException;

  static native int unlinkat(int dirfd, Pointer path, int flags) throws LastErrorException;

  static native int renameat2(
      int olddirfd, Pointer oldpath, int newdirfd, Pointer newpath, int flags)
      throws LastErrorException;

  static native int linkat(int olddirfd, Pointer oldpath, int newdirfd, Pointer newpath, int flags)
      throws LastErrorException;

  static native int symlinkat(Pointer target, int newdirfd, Pointer linkpath)
      throws LastErrorException;

  static native long readlinkat(int dirfd, Pointer path, Pointer buf, long size)
      throws LastErrorException;

  static native int fchmodat(int dirfd, Pointer path, int mode, int flags)
      throws LastErrorException;

  static native int fchmod(int fd, int mode) throws LastErrorException;

  static native int fchownat(int dirfd, Pointer path, int uid, int gid, int flags)
      throws LastErrorException;

  static native int fchown(int fd, int uid, int gid) throws LastErrorException;

  static native int utimensat(int dirfd, Pointer path, Pointer times, int flags)
      throws LastErrorException;

  static native int futimens(int fd, Pointer times) throws LastErrorException;

  static native int ftruncate(int fd, long length) throws LastErrorException;

  static native int fallocate(int fd, int mode, long offset, long len) throws LastErrorException;

  static native int fsync(int fd) throws LastErrorException;

  static native int fdatasync(int fd) throws LastErrorException;

  /** Linux {@code struct linux_dirent64} records into {@code buf}; 0 at the end. */
  static native long getdents64(int fd, Pointer buf, long size) throws LastErrorException;

  static native int lsetxattr(Pointer path, Pointer name, Pointer value, long size, int flags)
      throws LastErrorException;

  /** -1 and {@link Native#getLastError()} on failure. */
  static native long lgetxattr(Pointer path, Pointer name, Pointer value, long size);

  /** -1 and {@link Native#getLastError()} on failure. */
  static native long llistxattr(Pointer path, Pointer list, long size);

  static native int lremovexattr(Pointer path, Pointer name) throws LastErrorException;

  /** -1 and {@link Native#getLastError()} on failure. */
  static native long fgetxattr(int fd, Pointer name, Pointer value, long size);

  static native int fremovexattr(int fd, Pointer name) throws LastErrorException;

  /**
   * {@code syscall(2)} for the *xattrat calls of Linux 6.13+ (same numbers on every architecture):
   * -1 and {@link Native#getLastError()} on failure.
   */
  static native long syscall(
      long number, int dirfd, Pointer path, int atFlags, Pointer name, Pointer args, long size);

  static final long SYS_GETXATTRAT = 464;

  static native int umount2(byte[] target, int flags) throws LastErrorException;

  static native int umask(int mask);

  static native int getpid();

  /** {@code memmove(dest, src, 0)} returns {@code dest}: see {@link #callbackAddress}. */
  private static native Pointer memmove(Callback dest, Callback src, long n);

  /**
   * The native entry point of a callback in JNA's direct mode: a callback passed to a direct-mapped
   * function is converted with direct dispatch, and a zero-length {@code memmove} hands its address
   * back unchanged.
   */
  static Pointer callbackAddress(Callback callback) {
    return memmove(callback, callback, 0);
  }
}
