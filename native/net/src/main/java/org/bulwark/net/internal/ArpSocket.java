package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;

/**
 * A packet socket for ARP on one interface ({@code AF_PACKET}, {@code SOCK_RAW}, {@code
 * ETH_P_ARP}): sends the frames we build whole — gratuitous ARP and probes — and receives the ARP
 * frames of that interface. Needs {@code CAP_NET_RAW}.
 */
final class ArpSocket implements AutoCloseable {
  static final int OP_REQUEST = 1;
  static final int OP_REPLY = 2;
  private static final int ETH_P_ARP = 0x0806;
  private static final int ETH_P_IP = 0x0800;
  private static final int FRAME = 60; // the Ethernet minimum, without the FCS
  private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

  private final int fd;
  private final int index;
  private final String device;
  private final byte[] buffer = new byte[2048];

  private ArpSocket(int fd, int index, String device) {
    this.fd = fd;
    this.index = index;
    this.device = device;
  }

  /** Opens a socket bound to {@code device}. */
  static ArpSocket open(String device, int index) throws NetException {
    int fd;
    try {
      fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, htons(ETH_P_ARP));
    } catch (LastErrorException e) {
      throw new NetException(
          e.getErrorCode(), "cannot open an ARP socket on " + device + ": " + Netlink.errno(e));
    }
    try {
      byte[] sa = sockaddr(index, null);
      Libc.bind(fd, sa, sa.length);
    } catch (LastErrorException e) {
      Libc.closeQuietly(fd);
      throw new NetException(
          e.getErrorCode(), "cannot bind an ARP socket to " + device + ": " + Netlink.errno(e));
    }
    return new ArpSocket(fd, index, device);
  }

  /** One ARP packet as received. */
  record Arp(
      int op,
      MacAddress ethernetSource,
      MacAddress senderMac,
      InetAddress senderIp,
      MacAddress targetMac,
      InetAddress targetIp) {
    /** A gratuitous announcement: sender and target address are the same. */
    boolean gratuitous() {
      return senderIp.equals(targetIp);
    }
  }

  /**
   * Broadcasts an ARP request: {@code ethernetSource} as the frame's source, {@code senderMac} /
   * {@code senderIp} as the sender, {@code targetIp} as the target (target MAC zero).
   */
  void sendRequest(
      MacAddress ethernetSource, MacAddress senderMac, byte[] senderIp, Inet4Address targetIp)
      throws NetException {
    ByteBuffer f = ByteBuffer.allocate(FRAME).order(ByteOrder.BIG_ENDIAN);
    f.put(BROADCAST).put(ethernetSource.bytes()).putShort((short) ETH_P_ARP);
    f.putShort((short) 1).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4);
    f.putShort((short) OP_REQUEST);
    f.put(senderMac.bytes()).put(senderIp);
    f.put(new byte[6]).put(targetIp.getAddress());
    byte[] sa = sockaddr(index, BROADCAST);
    try {
      Libc.sendto(fd, f.array(), FRAME, 0, sa, sa.length);
    } catch (LastErrorException e) {
      throw new NetException(
          e.getErrorCode(), "cannot send ARP on " + device + ": " + Netlink.errno(e));
    }
  }

  /** The next ARP packet received within {@code wait}, empty when none came. */
  Optional<Arp> receive(Duration wait) throws NetException {
    long ms = Math.max(1, wait.toMillis());
    byte[] tv = new byte[16];
    ByteBuffer.wrap(tv).order(ByteOrder.nativeOrder()).putLong(ms / 1000).putLong(ms % 1000 * 1000);
    try {
      Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, tv.length);
      while (true) {
        long n;
        try {
          n = Libc.recv(fd, buffer, buffer.length, 0);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == Libc.EAGAIN) {
            return Optional.empty();
          }
          throw e;
        }
        Optional<Arp> arp = parse(buffer, (int) n);
        if (arp.isPresent()) {
          return arp;
        }
      }
    } catch (LastErrorException e) {
      throw new NetException(
          e.getErrorCode(), "cannot receive ARP on " + device + ": " + Netlink.errno(e));
    }
  }

  static Optional<Arp> parse(byte[] frame, int n) {
    if (n < 42) {
      return Optional.empty();
    }
    ByteBuffer f = ByteBuffer.wrap(frame, 0, n).order(ByteOrder.BIG_ENDIAN);
    if ((f.getShort(12) & 0xffff) != ETH_P_ARP
        || f.getShort(14) != 1
        || (f.getShort(16) & 0xffff) != ETH_P_IP
        || f.get(18) != 6
        || f.get(19) != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Arp(
              f.getShort(20),
              MacAddress.of(slice(frame, 6, 6)),
              MacAddress.of(slice(frame, 22, 6)),
              InetAddress.getByAddress(slice(frame, 28, 4)),
              MacAddress.of(slice(frame, 32, 6)),
              InetAddress.getByAddress(slice(frame, 38, 4))));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static byte[] slice(byte[] b, int from, int n) {
    byte[] out = new byte[n];
    System.arraycopy(b, from, out, 0, n);
    return out;
  }

  /** {@code struct sockaddr_ll} for {@code index}, with a destination hardware address or none. */
  private static byte[] sockaddr(int index, byte[] hw) {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    b.putShort((short) Libc.AF_PACKET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) ETH_P_ARP).order(ByteOrder.nativeOrder());
    b.putInt(index);
    b.putShort((short) 1); // ARPHRD_ETHER
    b.put((byte) 0); // packet type
    if (hw != null) {
      b.put((byte) hw.length).put(hw);
    }
    return b.array();
  }

  private static int htons(int v) {
    return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  }

  @Override
  public void close() {
    Libc.closeQuietly(fd);
  }
}
