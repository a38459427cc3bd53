package org.bulwark.net.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.NetException;

/**
 * {@code tcpreset} through {@code sock_diag} (what {@code ss -K} does): dump the TCP sockets, keep
 * those whose local address is the VIP, and ask the kernel to destroy each ({@code SOCK_DESTROY},
 * {@code CONFIG_INET_DIAG_DESTROY}), which aborts it and sends the peer a reset. Listening sockets
 * are left alone: they belong to the application, which its own stop closes.
 */
final class SockDiag {
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int SOCK_DESTROY = 21;
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_ESTABLISHED = 1;
  private static final int TCP_TIME_WAIT = 6;
  private static final int TCP_CLOSE = 7;
  private static final int TCP_LISTEN = 10;

  /** Every state but TIME_WAIT, CLOSE and LISTEN (bit n = state n). */
  private static final int STATES =
      0xfff & ~(1 << TCP_TIME_WAIT | 1 << TCP_CLOSE | 1 << TCP_LISTEN | 1);

  private static final byte[] V4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

  private SockDiag() {}

  /** The established TCP connections whose local address is {@code local}. */
  static int countFrom(InetAddress local) throws NetException {
    int count = 0;
    try (Netlink nl = Netlink.open(Netlink.NETLINK_SOCK_DIAG)) {
      for (int family : new int[] {Libc.AF_INET, Libc.AF_INET6}) {
        for (Netlink.Reply r :
            nl.dump(dumpRequest(family, 1 << TCP_ESTABLISHED), "counting TCP connections")) {
          if (r.type() == SOCK_DIAG_BY_FAMILY && fromAddress(r.body(), local)) {
            count++;
          }
        }
      }
    }
    return count;
  }

  /** Destroys every TCP connection whose local address is {@code local}; returns how many. */
  static int destroyFrom(InetAddress local) throws NetException {
    int count = 0;
    try (Netlink nl = Netlink.open(Netlink.NETLINK_SOCK_DIAG)) {
      for (int family : new int[] {Libc.AF_INET, Libc.AF_INET6}) {
        for (Netlink.Reply r : nl.dump(dumpRequest(family, STATES), "listing TCP connections")) {
          if (r.type() != SOCK_DIAG_BY_FAMILY || !fromAddress(r.body(), local)) {
            continue;
          }
          byte[] sockid = new byte[48];
          r.body().get(4, sockid);
          try {
            nl.request(
                new NlMessage(SOCK_DESTROY, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_ACK)
                    .u8(r.body().get(0))
                    .u8(IPPROTO_TCP)
                    .u8(0)
                    .u8(0)
                    .u32(-1)
                    .raw(sockid),
                "resetting TCP connections of " + AddressText.of(local));
            count++;
          } catch (NetException e) {
            if (e.errno() != Libc.ENOENT) { // closed meanwhile: nothing left to reset
              throw e;
            }
          }
        }
      }
    }
    return count;
  }

  private static NlMessage dumpRequest(int family, int states) {
    return new NlMessage(SOCK_DIAG_BY_FAMILY, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_DUMP)
        .u8(family)
        .u8(IPPROTO_TCP)
        .u8(0)
        .u8(0)
        .u32(states)
        .raw(new byte[48]);
  }

  /** Whether the {@code inet_diag_msg}'s local address is {@code local} (IPv4-mapped too). */
  private static boolean fromAddress(ByteBuffer msg, InetAddress local) {
    int family = msg.get(0);
    byte[] src = new byte[family == Libc.AF_INET ? 4 : 16];
    msg.get(8, src); // inet_diag_msg: 4 bytes, then sockid: sport, dport, src[4]
    byte[] want = local.getAddress();
    if (family == Libc.AF_INET6 && local instanceof Inet4Address) {
      return Arrays.equals(Arrays.copyOf(src, 12), V4_MAPPED)
          && Arrays.equals(Arrays.copyOfRange(src, 12, 16), want);
    }
    return Arrays.equals(src, want);
  }
}
