package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;

/**
 * The IPv6 counterpart of a gratuitous ARP: an unsolicited neighbour advertisement (RFC 4861 §4.4,
 * §7.2.6) for a VIP, built whole — Ethernet, IPv6 and ICMPv6 — and sent on a packet socket, so
 * that, as for ARP, the advertised hardware address may differ from the frame's source (the virtual
 * MAC of {@code vmac_invisible}).
 *
 * <p>Sent to the all-nodes group {@code ff02::1} (Ethernet {@code 33:33:00:00:00:01}) from the VIP
 * itself, hop limit 255 (a receiver drops an advertisement that crossed a router), flags Override
 * set and Solicited clear, with the target link-layer address option: a neighbour that has an entry
 * for the VIP replaces its MAC and marks it stale, so its next packet confirms the new one. (Linux
 * creates no entry from it unless {@code accept_untracked_na} says so.)
 */
final class NeighbourAdvert {
  static final int ETH_P_IPV6 = 0x86dd;
  static final int ICMPV6 = 58;
  static final int NEIGHBOUR_ADVERTISEMENT = 136;
  static final int FLAG_OVERRIDE = 0x20000000;
  static final int OPTION_TARGET_LLADDR = 2;
  static final int LENGTH = 14 + 40 + 32;
  private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
  private static final byte[] ALL_NODES = {
    (byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
  };

  private NeighbourAdvert() {}

  /** The frame: from {@code ethernetSource}, advertising {@code vip} at {@code advertised}. */
  static byte[] frame(MacAddress ethernetSource, MacAddress advertised, Inet6Address vip) {
    byte[] target = vip.getAddress();
    ByteBuffer icmp = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
    icmp.put((byte) NEIGHBOUR_ADVERTISEMENT).put((byte) 0).putShort((short) 0); // checksum later
    icmp.putInt(FLAG_OVERRIDE);
    icmp.put(target);
    icmp.put((byte) OPTION_TARGET_LLADDR).put((byte) 1).put(advertised.bytes());
    byte[] message = icmp.array();
    int sum = checksum(target, ALL_NODES, message);
    message[2] = (byte) (sum >>> 8);
    message[3] = (byte) sum;

    ByteBuffer f = ByteBuffer.allocate(LENGTH).order(ByteOrder.BIG_ENDIAN);
    f.put(ALL_NODES_MAC).put(ethernetSource.bytes()).putShort((short) ETH_P_IPV6);
    f.putInt(0x60000000); // version 6, traffic class 0, flow label 0
    f.putShort((short) message.length).put((byte) ICMPV6).put((byte) 255);
    f.put(target).put(ALL_NODES);
    f.put(message);
    return f.array();
  }

  /** The ICMPv6 checksum: the one's complement sum over the pseudo-header and the message. */
  static int checksum(byte[] source, byte[] destination, byte[] message) {
    long sum = 0;
    sum += words(source) + words(destination);
    sum += message.length; // upper-layer packet length (32 bits, < 65536 here)
    sum += ICMPV6; // three zero bytes, then the next header
    sum += words(message);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static long words(byte[] b) {
    long sum = 0;
    for (int i = 0; i < b.length; i += 2) {
      int hi = b[i] & 0xff;
      int lo = i + 1 < b.length ? b[i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    return sum;
  }

  /** Sends {@code frame} whole out of interface {@code index} ({@code CAP_NET_RAW}). */
  static void send(String device, int index, byte[] frame) throws NetException {
    int fd;
    try {
      // protocol 0: this socket receives nothing, it only sends
      fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new NetException(
          e.getErrorCode(), "cannot open a packet socket on " + device + ": " + Netlink.errno(e));
    }
    try {
      ByteBuffer sa = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
      sa.putShort((short) Libc.AF_PACKET);
      sa.order(ByteOrder.BIG_ENDIAN).putShort((short) ETH_P_IPV6).order(ByteOrder.nativeOrder());
      sa.putInt(index);
      sa.putShort((short) 1); // ARPHRD_ETHER
      sa.put((byte) 0).put((byte) 6).put(ALL_NODES_MAC);
      Libc.sendto(fd, frame, frame.length, 0, sa.array(), 20);
    } catch (LastErrorException e) {
      throw new NetException(
          e.getErrorCode(),
          "cannot send a neighbour advertisement on " + device + ": " + Netlink.errno(e));
    } finally {
      Libc.closeQuietly(fd);
    }
  }
}
