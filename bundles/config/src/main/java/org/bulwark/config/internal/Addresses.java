package org.bulwark.config.internal;

import java.util.regex.Pattern;

/**
 * Address syntax (spec A.2 {@code node@addr}): IPv4 dotted quad, IPv6 literal in brackets, or a DNS
 * name. Checked without any name resolution: a configuration check must not depend on DNS.
 */
final class Addresses {

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|"
              + "1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}" + "[A-Za-z0-9])?");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private Addresses() {}

  /** The reason {@code address} is not valid, or null. */
  static String check(String address, boolean bracketsRequired) {
    if (address.startsWith("[") && address.endsWith("]")) {
      return isIpv6(address.substring(1, address.length() - 1))
          ? null
          : "'" + address + "' is not a valid IPv6 address";
    }
    if (address.contains(":")) {
      if (isIpv6(address)) {
        return bracketsRequired
            ? "IPv6 address '" + address + "' must be written in brackets"
            : null;
      }
      return "'" + address + "' is not a valid IPv4, IPv6 address or DNS name";
    }
    if (isIpv4(address)) {
      return null;
    }
    if (address.matches("[0-9.]+")) {
      return "'" + address + "' is not a valid IPv4 address";
    }
    return isDnsName(address)
        ? null
        : "'" + address + "' is not a valid IPv4, IPv6 address or DNS name";
  }

  static boolean isIpv4(String address) {
    return IPV4.matcher(address).matches();
  }

  static boolean isDnsName(String name) {
    String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (trimmed.isEmpty() || trimmed.length() > 253) {
      return false;
    }
    for (String label : trimmed.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String address) {
    String text = address;
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    int groups = 8;
    int lastColon = text.lastIndexOf(':');
    if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
      if (!isIpv4(text.substring(lastColon + 1))) {
        return false;
      }
      text = text.substring(0, lastColon + 1) + "0:0";
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] parts = text.split(":", -1);
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        boolean partOfDouble = doubleColon >= 0;
        if (!partOfDouble) {
          return false;
        }
        continue;
      }
      if (!HEX_GROUP.matcher(part).matches()) {
        return false;
      }
      count++;
    }
    return doubleColon >= 0 ? count < groups : count == groups && parts.length == groups;
  }
}
