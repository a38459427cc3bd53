package org.bulwark.fuse.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * System calls as a C program makes them, for tests that compare errno values: every method returns
 * the call's result, and {@link #errno()} the error of the last failed call.
 */
final class Sys {
  interface C extends Library {
    int open(String path, int flags, int mode);

    int close(int fd);

    long pwrite(int fd, byte[] buf, long count, long offset);

    long pwritev2(int fd, Pointer iov, int iovcnt, long offset, int flags);

    long pread(int fd, byte[] buf, long count, long offset);

    long lseek(int fd, long offset, int whence);

    int ftruncate(int fd, long size);

    int truncate(String path, long size);

    int fallocate(int fd, int mode, long offset, long len);

    int fsync(int fd);

    int mkdir(String path, int mode);

    int rmdir(String path);

    int unlink(String path);

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    int link(String from, String to);

    int symlink(String target, String linkpath);

    long readlink(String path, byte[] buf, long size);

    int chmod(String path, int mode);

    int utimensat(int dirfd, String path, long[] times, int flags);

    int setxattr(String path, String name, byte[] value, long size, int flags);

    long getxattr(String path, String name, byte[] value, long size);

    int mknod(String path, int mode, long dev);

    int lstat(String path, Pointer stat);

    int mount(String source, String target, String type, long flags, String data);

    int umount2(String target, int flags);
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
  static final int O_DSYNC = 010000;
  static final int RWF_SYNC = 4;
  static final int AT_FDCWD = -100;
  static final int ENOENT = 2;
  static final int EACCES = 13;
  static final int ENOSPC = 28;
  static final int EROFS = 30;
  static final int ELOOP = 40;
  static final int ENOTCONN = 107;

  private Sys() {}

  static int errno() {
    return Native.getLastError();
  }

  /** The fields of {@code lstat} that the tests compare. */
  record Stat(int mode, long nlink, int uid, int gid, long size, long mtimeSec, long mtimeNsec) {}

  /** lstat, or null with {@link #errno()} set. */
  static Stat lstat(String path) {
    Memory st = new Memory(144);
    if (C.lstat(path, st) != 0) {
      return null;
    }
    return new Stat(
        st.getInt(24),
        st.getLong(16),
        st.getInt(28),
        st.getInt(32),
        st.getLong(48),
        st.getLong(88),
        st.getLong(96));
  }
}
