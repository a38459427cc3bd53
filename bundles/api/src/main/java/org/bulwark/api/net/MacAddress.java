package org.bulwark.api.net;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/** An Ethernet address (6 bytes), immutable. */
public final class MacAddress {
  private final byte[] bytes;

  private MacAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** From 6 bytes (copied). */
  public static MacAddress of(byte[] bytes) {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
    }
    return new MacAddress(bytes.clone());
  }

  /**
   * Parses {@code 5a:fe:c0:a8:38:14} or {@code 5a-fe-c0-a8-38-14} (the spec's spelling, B.6), any
   * case.
   */
  public static MacAddress parse(String text) {
    String[] parts = text.trim().split("[:-]");
    if (parts.length != 6) {
      throw new IllegalArgumentException("invalid MAC address '" + text + "'");
    }
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      if (!parts[i].matches("[0-9A-Fa-f]{1,2}")) {
        throw new IllegalArgumentException("invalid MAC address '" + text + "'");
      }
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return new MacAddress(b);
  }

  /**
   * The default virtual MAC of {@code vmac_invisible} (spec B.6, {@code virtual_interface@addr}):
   * {@code 5a:fe} followed by the first VIP's four bytes (192.168.56.20 → 5a:fe:c0:a8:38:14). A
   * locally administered unicast address.
   */
  public static MacAddress forVip(Inet4Address vip) {
    byte[] a = vip.getAddress();
    return new MacAddress(new byte[] {0x5a, (byte) 0xfe, a[0], a[1], a[2], a[3]});
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether the group bit is set (broadcast or multicast): never a valid virtual MAC. */
  public boolean isMulticast() {
    return (bytes[0] & 1) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** {@code 5a:fe:c0:a8:38:14}, the kernel's spelling. */
  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes).toLowerCase(Locale.ROOT);
  }
}
