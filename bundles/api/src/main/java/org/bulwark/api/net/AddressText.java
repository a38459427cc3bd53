package org.bulwark.api.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The one way an IP address is written in logs, messages and command output: IPv4 dotted, IPv6 in
 * the canonical text of RFC 5952 ({@code 2001:db8::1}, not Java's {@code 2001:db8:0:0:0:0:0:1}).
 */
public final class AddressText {
  private AddressText() {}

  /**
   * {@code address} as text. IPv6 (RFC 5952 §4): lower-case hexadecimal without leading zeros; the
   * longest run of two or more zero fields, the first of equal ones, shortened to {@code ::}; a
   * single zero field kept; an IPv4-mapped address in mixed notation ({@code ::ffff:192.0.2.1},
   * §5); a zone kept after {@code %} (RFC 4007).
   */
  public static String of(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    String java = address.getHostAddress();
    int percent = java.indexOf('%');
    String zone = percent < 0 ? "" : java.substring(percent);
    byte[] b = address.getAddress();
    int[] field = new int[8];
    for (int i = 0; i < 8; i++) {
      field[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    if (isIpv4Mapped(field)) {
      return "::ffff:"
          + (b[12] & 0xff)
          + "."
          + (b[13] & 0xff)
          + "."
          + (b[14] & 0xff)
          + "."
          + (b[15] & 0xff)
          + zone;
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero field is not shortened (§4.2.2)
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && field[j] == 0) {
        j++;
      }
      if (j - i > bestLength) { // strictly longer: the first of equal runs wins (§4.2.3)
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(field[i]));
    }
    return s.append(zone).toString();
  }

  /**
   * {@code address} with its port: {@code 192.0.2.1:4800}, {@code [2001:db8::1]:4800} (RFC 5952
   * §6); the host name as given when it was never resolved.
   */
  public static String of(InetSocketAddress address) {
    if (address.isUnresolved()) {
      return address.getHostString() + ":" + address.getPort();
    }
    String host = of(address.getAddress());
    boolean v6 = address.getAddress() instanceof Inet6Address;
    return (v6 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static boolean isIpv4Mapped(int[] field) {
    for (int i = 0; i < 5; i++) {
      if (field[i] != 0) {
        return false;
      }
    }
    return field[5] == 0xffff;
  }
}
