package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.net.NetException;

/**
 * A netlink socket ({@code rtnetlink} or {@code sock_diag}) used by one thread at a time: a request
 * and its acknowledgement, or a dump and its replies. Every wait is bounded ({@code SO_RCVTIMEO}),
 * so a kernel that never answers is an error, not a hang.
 */
final class Netlink implements AutoCloseable {
  static final int NETLINK_ROUTE = 0;
  static final int NETLINK_SOCK_DIAG = 4;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int RECEIVE_TIMEOUT_SECONDS = 5;

  private final int fd;
  private int seq = 1;
  private final byte[] buffer = new byte[64 * 1024];

  private Netlink(int fd) {
    this.fd = fd;
  }

  static Netlink open(int protocol) throws NetException {
    int fd;
    try {
      fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
    } catch (LastErrorException e) {
      throw new NetException(e.getErrorCode(), "cannot open a netlink socket: " + errno(e));
    }
    try {
      byte[] sa = new byte[12]; // sockaddr_nl: family, pad, pid 0 (the kernel assigns), groups 0
      ByteBuffer.wrap(sa).order(ByteOrder.nativeOrder()).putShort((short) Libc.AF_NETLINK);
      Libc.bind(fd, sa, sa.length);
      byte[] tv = new byte[16]; // struct timeval
      ByteBuffer.wrap(tv).order(ByteOrder.nativeOrder()).putLong(RECEIVE_TIMEOUT_SECONDS);
      Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.length);
    } catch (LastErrorException e) {
      Libc.closeQuietly(fd);
      throw new NetException(e.getErrorCode(), "cannot bind a netlink socket: " + errno(e));
    }
    return new Netlink(fd);
  }

  /** A reply: its message type and its body after the netlink header. */
  record Reply(int type, ByteBuffer body) {}

  /**
   * Sends {@code msg} (which must ask for an acknowledgement) and waits for it. The kernel's error
   * becomes a {@link NetException} whose message starts with {@code what}.
   */
  void request(NlMessage msg, String what) throws NetException {
    int s = send(msg, what);
    for (Reply r : receive(s, what, false)) {
      if (r.type() == NLMSG_ERROR) {
        int error = r.body().getInt(0);
        if (error != 0) {
          throw new NetException(-error, what + ": " + Libc.strerror(-error));
        }
        return;
      }
    }
    throw new NetException(what + ": no acknowledgement from the kernel");
  }

  /** Sends a dump request and returns every reply until the end of the dump. */
  List<Reply> dump(NlMessage msg, String what) throws NetException {
    int s = send(msg, what);
    return receive(s, what, true);
  }

  private int send(NlMessage msg, String what) throws NetException {
    int s = seq++;
    byte[] bytes = msg.bytes(s);
    byte[] kernel = new byte[12];
    ByteBuffer.wrap(kernel).order(ByteOrder.nativeOrder()).putShort((short) Libc.AF_NETLINK);
    try {
      Libc.sendto(fd, bytes, bytes.length, 0, kernel, kernel.length);
    } catch (LastErrorException e) {
      throw new NetException(e.getErrorCode(), what + ": " + errno(e));
    }
    return s;
  }

  private List<Reply> receive(int s, String what, boolean untilDone) throws NetException {
    List<Reply> out = new ArrayList<>();
    while (true) {
      long n;
      try {
        n = Libc.recv(fd, buffer, buffer.length, 0);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == Libc.EAGAIN) {
          throw new NetException(what + ": no answer from the kernel");
        }
        throw new NetException(e.getErrorCode(), what + ": " + errno(e));
      }
      ByteBuffer b = ByteBuffer.wrap(buffer, 0, (int) n).order(ByteOrder.nativeOrder());
      int at = 0;
      while (at + NlMessage.HEADER <= n) {
        int len = b.getInt(at);
        int type = b.getShort(at + 4) & 0xffff;
        int msgSeq = b.getInt(at + 8);
        if (len < NlMessage.HEADER || at + len > n) {
          throw new NetException(what + ": malformed netlink reply");
        }
        if (msgSeq == s) {
          byte[] body = new byte[len - NlMessage.HEADER];
          System.arraycopy(buffer, at + NlMessage.HEADER, body, 0, body.length);
          ByteBuffer bb = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
          if (type == NLMSG_DONE) {
            return out;
          }
          out.add(new Reply(type, bb));
          if (type == NLMSG_ERROR) {
            int error = bb.getInt(0);
            if (untilDone && error != 0) {
              throw new NetException(-error, what + ": " + Libc.strerror(-error));
            }
            if (!untilDone) {
              return out;
            }
          }
        }
        at += (len + 3) & ~3;
      }
    }
  }

  /** The attributes from {@code offset} to the end of {@code body}, by type (the last wins). */
  static Map<Integer, byte[]> attributes(ByteBuffer body, int offset) {
    Map<Integer, byte[]> out = new HashMap<>();
    int at = offset;
    while (at + 4 <= body.limit()) {
      int len = body.getShort(at) & 0xffff;
      int type = body.getShort(at + 2) & 0x3fff; // without the nested/byte-order bits
      if (len < 4 || at + len > body.limit()) {
        break;
      }
      byte[] v = new byte[len - 4];
      body.get(at + 4, v);
      out.put(type, v);
      at += (len + 3) & ~3;
    }
    return out;
  }

  static String errno(LastErrorException e) {
    return Libc.strerror(e.getErrorCode());
  }

  @Override
  public void close() {
    Libc.closeQuietly(fd);
  }
}
