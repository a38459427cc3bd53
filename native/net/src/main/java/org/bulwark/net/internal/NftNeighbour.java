package org.bulwark.net.internal;

import java.net.Inet6Address;
import java.util.HexFormat;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.MacAddress;

/**
 * IPv6 neighbour discovery in nft's language (docs/vip.md, "IPv6 neighbour discovery"): the matches
 * of solicitations and advertisements for a VIP, and the rewrite of the link-layer address option
 * to the virtual MAC in {@code vmac_invisible}.
 *
 * <p>nft 1.0.6 has no keyword for the ND target ({@code icmpv6 taddr} came later), so it is a raw
 * match of the 16 bytes after the ICMPv6 header's first 8 ({@code @th,64,128}), the same for a
 * solicitation and an advertisement (RFC 4861 §4.3, §4.4).
 */
final class NftNeighbour {
  /** ICMPv6 type and code (0) of a solicitation and an advertisement, as one 16-bit word. */
  private static final int SOLICIT = 0x8700;

  private static final int ADVERT = 0x8800;

  private NftNeighbour() {}

  /** Neighbour solicitations asking for {@code vip} (sent to its solicited-node address). */
  static String solicitationFor(Inet6Address vip) {
    return "icmpv6 type nd-neighbor-solicit " + target(vip);
  }

  /** Neighbour advertisements for {@code vip}: the ones its holder sends. */
  static String advertisementFor(Inet6Address vip) {
    return "icmpv6 type nd-neighbor-advert " + target(vip);
  }

  /** Neighbour solicitations from {@code vip}: the holder asking for a client's MAC. */
  static String solicitationFrom(Inet6Address vip) {
    return "ip6 saddr " + AddressText.of(vip) + " icmpv6 type nd-neighbor-solicit";
  }

  /**
   * The kernel's advertisement for {@code vip} with its target link-layer address option (type 2)
   * naming {@code mac} instead of the interface's MAC, as the ARP rewrite does for IPv4.
   */
  static String advertiseAs(Inet6Address vip, MacAddress mac) {
    return advertisementFor(vip) + rewriteOption(2, ADVERT, mac);
  }

  /**
   * The kernel's solicitation from {@code vip} with its source link-layer address option (type 1)
   * naming {@code mac}: a client takes the sender's MAC from it, so it would otherwise learn the
   * node's MAC for the VIP.
   */
  static String solicitAs(Inet6Address vip, MacAddress mac) {
    return solicitationFrom(vip) + rewriteOption(1, SOLICIT, mac);
  }

  private static String target(Inet6Address vip) {
    return "@th,64,128 0x" + hex(vip.getAddress());
  }

  /**
   * Matches the option {@code type} (length 1: 8 bytes) right after the target, the only option
   * Linux puts in its solicitations and advertisements, and writes {@code mac} into it with the
   * ICMPv6 checksum kept right.
   *
   * <p>nft updates the L4 checksum only for writes to named header fields, not for raw payload
   * writes like the one of the option's MAC (the statement's {@code csum_type} is 0, see {@code nft
   * --debug=netlink}). The checksum is a ones' complement sum, so changing the MAC's three 16-bit
   * words from m to v must add v − m to it. The first word of the ICMPv6 header (type, code) serves
   * as a scratch register: for each word of m, a raw write copies it there and a checksummed write
   * of type and code to 0 subtracts it; a checksummed write of type and code to the sum of v's
   * words adds v; a raw write puts type and code back (code is 0 in every valid ND message), and a
   * raw write puts v into the option. Packet-independent: the node's own MAC is not needed.
   */
  private static String rewriteOption(int type, int typeAndCode, MacAddress mac) {
    byte[] v = mac.bytes();
    StringBuilder s = new StringBuilder();
    s.append(" @th,192,16 0x").append(String.format("%02x01", type));
    for (int word = 0; word < 3; word++) {
      s.append(" @th,0,16 set @th,").append(208 + 16 * word).append(",16");
      s.append(" icmpv6 type set 0 icmpv6 code set 0");
    }
    int sum = 0xffff & ~IcmpPinger.checksum(v); // the ones' complement sum of v's words
    s.append(String.format(" icmpv6 type set 0x%02x icmpv6 code set 0x%02x", sum >> 8, sum & 0xff));
    s.append(" @th,0,16 set 0x").append(Integer.toHexString(typeAndCode));
    s.append(" @th,208,48 set 0x").append(hex(v));
    return s.toString();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
