package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bulwark.api.net.NetException;

/**
 * IPv4/UDP datagrams built whole ({@code SOCK_RAW}, {@code IPPROTO_RAW}): the tests choose the
 * source address and the IP identification field, which the filter hashes ({@code on_addr}, {@code
 * on_ipid}) and which a normal socket cannot choose. The kernel fills the header checksum.
 */
final class RawUdp implements AutoCloseable {
  private static final int IPPROTO_RAW = 255;
  private final int fd;

  private RawUdp(int fd) {
    this.fd = fd;
  }

  /** Opens the socket in namespace {@code ns}. */
  static RawUdp open(Netns ns) throws IOException {
    return ns.call(
        () -> {
          try {
            return new RawUdp(Libc.socket(Libc.AF_INET, Libc.SOCK_RAW, IPPROTO_RAW));
          } catch (LastErrorException e) {
            throw new NetException(e.getErrorCode(), "raw socket");
          }
        });
  }

  /** Sends one datagram whose payload is {@code seq} (4 bytes). */
  void send(Inet4Address src, int srcPort, Inet4Address dst, int dstPort, int ipId, int seq)
      throws IOException {
    ByteBuffer p = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
    p.put((byte) 0x45).put((byte) 0).putShort((short) 32).putShort((short) ipId);
    p.putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0);
    p.put(src.getAddress()).put(dst.getAddress());
    p.putShort((short) srcPort).putShort((short) dstPort).putShort((short) 12).putShort((short) 0);
    p.putInt(seq);
    ByteBuffer sa = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    sa.putShort((short) Libc.AF_INET);
    sa.order(ByteOrder.BIG_ENDIAN).putShort((short) dstPort).put(dst.getAddress());
    try {
      Libc.sendto(fd, p.array(), 32, 0, sa.array(), 16);
    } catch (LastErrorException e) {
      throw new IOException("raw send: " + Libc.strerror(e.getErrorCode()));
    }
  }

  @Override
  public void close() {
    Libc.closeQuietly(fd);
  }
}
