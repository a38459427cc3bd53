package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.bulwark.api.checker.Pinger;
import org.osgi.service.component.annotations.Component;

/**
 * A real ICMP echo (docs/checkers.md "ping"): a raw ICMP (ICMPv6) socket per echo, connected to the
 * target so that the kernel hands it only that host's packets; one request with a random identifier
 * and sequence, then every packet read until the matching echo reply or the deadline. A raw socket
 * needs CAP_NET_RAW, which the node has (it runs as root, as SafeKit's safeadmin does); no {@code
 * ping} process per test, and no dependency on {@code net.ipv4.ping_group_range}, which
 * unprivileged ICMP datagram sockets need.
 */
@Component(service = Pinger.class)
public final class IcmpPinger implements Pinger {
  static final int IPPROTO_ICMP = 1;
  static final int IPPROTO_ICMPV6 = 58;
  private static final int ECHO_REQUEST = 8;
  private static final int ECHO_REPLY = 0;
  private static final int ECHO6_REQUEST = 128;
  private static final int ECHO6_REPLY = 129;

  private final SecureRandom random = new SecureRandom();

  @Override
  public Optional<String> echo(InetAddress address, Duration timeout) {
    boolean v4 = address instanceof Inet4Address;
    int id = random.nextInt(0x10000);
    int seq = random.nextInt(0x10000);
    int fd;
    try {
      fd =
          Libc.socket(
              v4 ? Libc.AF_INET : Libc.AF_INET6,
              Libc.SOCK_RAW | Libc.SOCK_CLOEXEC,
              v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
    } catch (LastErrorException e) {
      return Optional.of("no ICMP socket: " + Libc.strerror(e.getErrorCode()));
    }
    try {
      byte[] to = sockaddr(address);
      Libc.connect(fd, to, to.length);
      byte[] request = request(v4, id, seq);
      Libc.sendto(fd, request, request.length, 0, to, to.length);
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] buf = new byte[1500];
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.of("no reply within " + timeout.toMillis() + " ms");
        }
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval(left), 16);
        long n;
        try {
          n = Libc.recv(fd, buf, buf.length, 0);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == Libc.EAGAIN || e.getErrorCode() == Libc.EINTR) {
            continue; // the deadline decides
          }
          throw e;
        }
        if (isReply(v4, buf, (int) n, id, seq)) {
          return Optional.empty();
        }
      }
    } catch (LastErrorException e) {
      return Optional.of(Libc.strerror(e.getErrorCode()));
    } finally {
      Libc.closeQuietly(fd);
    }
  }

  /** An echo request with 16 bytes of data; ICMPv6's checksum is the kernel's (RFC 3542). */
  static byte[] request(boolean v4, int id, int seq) {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) (v4 ? ECHO_REQUEST : ECHO6_REQUEST)).put((byte) 0).putShort((short) 0);
    b.putShort((short) id).putShort((short) seq);
    b.put("bulwark-pingchk\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] packet = b.array();
    if (v4) {
      int sum = checksum(packet);
      packet[2] = (byte) (sum >> 8);
      packet[3] = (byte) sum;
    }
    return packet;
  }

  /**
   * Whether a packet read is the reply to our request. An IPv4 raw socket gets the IP header too
   * (its length in the low nibble of the first byte, in 32-bit words); ICMPv6 only the message.
   */
  static boolean isReply(boolean v4, byte[] p, int n, int id, int seq) {
    int off = v4 ? (p[0] & 0x0f) * 4 : 0;
    if (n < off + 8) {
      return false;
    }
    int type = p[off] & 0xff;
    int gotId = ((p[off + 4] & 0xff) << 8) | (p[off + 5] & 0xff);
    int gotSeq = ((p[off + 6] & 0xff) << 8) | (p[off + 7] & 0xff);
    return type == (v4 ? ECHO_REPLY : ECHO6_REPLY) && gotId == id && gotSeq == seq;
  }

  /** The Internet checksum (RFC 1071) of {@code data}. */
  static int checksum(byte[] data) {
    long sum = 0;
    for (int i = 0; i + 1 < data.length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (data.length % 2 == 1) {
      sum += (data[data.length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** {@code struct sockaddr_in} / {@code sockaddr_in6}, port 0. */
  static byte[] sockaddr(InetAddress address) {
    boolean v4 = address instanceof Inet4Address;
    ByteBuffer b = ByteBuffer.allocate(v4 ? 16 : 28).order(ByteOrder.nativeOrder());
    b.putShort((short) (v4 ? Libc.AF_INET : Libc.AF_INET6));
    b.putShort((short) 0); // port
    if (v4) {
      b.put(address.getAddress());
    } else {
      b.putInt(0); // flow info
      b.put(address.getAddress());
      int scope = ((java.net.Inet6Address) address).getScopeId();
      b.putInt(scope);
    }
    return b.array();
  }

  /** {@code struct timeval} of at least 1 µs, on a 64-bit machine. */
  static byte[] timeval(long nanos) {
    long micros = Math.max(1, nanos / 1000);
    return ByteBuffer.allocate(16)
        .order(ByteOrder.nativeOrder())
        .putLong(micros / 1_000_000)
        .putLong(micros % 1_000_000)
        .array();
  }
}
