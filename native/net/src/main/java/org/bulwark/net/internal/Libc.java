package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C library calls of the network driver, direct-mapped; failures raise {@link
 * LastErrorException} with errno. Socket addresses and messages are byte arrays laid out by the
 * callers (JNA copies them in and, for receive buffers, back out).
 */
final class Libc {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int AF_NETLINK = 16;
  static final int AF_PACKET = 17;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 02000000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVTIMEO = 20;
  static final int SO_RCVBUF = 8;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 02000000;
  static final int CLONE_NEWNET = 0x40000000;
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EAGAIN = 11;
  static final int EINTR = 4;
  static final int EEXIST = 17;
  static final int ENODEV = 19;
  static final int EADDRNOTAVAIL = 99;
  static final int EOPNOTSUPP = 95;

  static {
    Native.register(Libc.class, NativeLibrary.getInstance("c"));
  }

  private Libc() {}

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int bind(int fd, byte[] addr, int len) throws LastErrorException;

  static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen)
      throws LastErrorException;

  static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

  static native int connect(int fd, byte[] addr, int len) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, byte[] value, int len)
      throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int open(String path, int flags) throws LastErrorException;

  static native int setns(int fd, int nstype) throws LastErrorException;

  /** 0 when there is no such interface (errno ENODEV). */
  static native int if_nametoindex(String name);

  static native String strerror(int errno);

  /** Closes, ignoring errors (cleanup paths). */
  static void closeQuietly(int fd) {
    if (fd >= 0) {
      try {
        close(fd);
      } catch (LastErrorException e) {
        // nothing to do: the descriptor is gone either way
      }
    }
  }
}
