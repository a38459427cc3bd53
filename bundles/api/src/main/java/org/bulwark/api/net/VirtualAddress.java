package org.bulwark.api.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual address to put on an interface ({@code <virtual_addr>} resolved, spec B.6).
 *
 * @param device the interface ({@code interface@name}, or the one {@link
 *     AddressManager#interfaceFor} found)
 * @param address the VIP
 * @param prefixLength the network's prefix ({@code netmask}, default the interface's)
 * @param label the IPv4 alias label ({@code eth0:bw}) under which {@code alias} and {@code
 *     one_side_alias} addresses show in {@code ip addr} and {@code ifconfig}; must start with the
 *     device's name; empty = none
 * @param outbound {@code where="one_side"} (IPv4): the node's outgoing connections through the
 *     device use the VIP as their source, as if it were the interface's primary address
 */
public record VirtualAddress(
    String device,
    InetAddress address,
    int prefixLength,
    Optional<String> label,
    boolean outbound) {

  public VirtualAddress {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(label, "label");
  }

  /** An address that outgoing connections do not use. */
  public VirtualAddress(
      String device, InetAddress address, int prefixLength, Optional<String> label) {
    this(device, address, prefixLength, label, false);
  }

  /** An address without a label. */
  public static VirtualAddress of(String device, InetAddress address, int prefixLength) {
    return new VirtualAddress(device, address, prefixLength, Optional.empty());
  }

  /** The same address with the alias label {@code <device>:<suffix>}. */
  public VirtualAddress withAlias(String suffix) {
    return new VirtualAddress(
        device, address, prefixLength, Optional.of(device + ":" + suffix), outbound);
  }

  /** The same address as {@code where="one_side"}: the source of outgoing connections. */
  public VirtualAddress asOneSide() {
    return new VirtualAddress(device, address, prefixLength, label, true);
  }

  /**
   * The prefix length of {@code virtual_addr@netmask} (spec B.6): a dotted IPv4 mask ({@code
   * 255.255.255.0}) or a length ({@code 24}).
   *
   * @throws IllegalArgumentException for anything else, a mask with holes included
   */
  public static int prefixOf(String netmask) {
    if (netmask.matches("[0-9]{1,3}")) {
      return Integer.parseInt(netmask);
    }
    String[] parts = netmask.split("\\.");
    if (parts.length != 4 || !netmask.matches("[0-9.]+")) {
      throw new IllegalArgumentException("invalid netmask '" + netmask + "'");
    }
    long mask = 0;
    for (String p : parts) {
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw new IllegalArgumentException("invalid netmask '" + netmask + "'");
      }
      mask = mask << 8 | v;
    }
    int prefix = Long.numberOfLeadingZeros(~mask & 0xffffffffL) - 32;
    if (((0xffffffffL << (32 - prefix)) & 0xffffffffL) != mask) {
      throw new IllegalArgumentException("netmask '" + netmask + "' is not contiguous");
    }
    return prefix;
  }

  /** Every reason this address cannot be set, empty when it can. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!device.matches("[A-Za-z0-9_.@-]{1,15}")) {
      out.add("invalid interface name '" + device + "'");
    }
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 1 || prefixLength > max) {
      out.add(
          "prefix length " + prefixLength + " of " + AddressText.of(address) + " is not 1.." + max);
    }
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isMulticastAddress()
        || address.isLinkLocalAddress()) {
      out.add(AddressText.of(address) + " cannot be a virtual address");
    }
    if (outbound && !(address instanceof Inet4Address)) {
      out.add("one_side is IPv4 only (" + AddressText.of(address) + ")");
    }
    label.ifPresent(
        l -> {
          if (!(address instanceof Inet4Address)) {
            out.add("an alias label is IPv4 only (" + AddressText.of(address) + ")");
          }
          if (!l.startsWith(device) || l.length() > 15 || !l.matches("[A-Za-z0-9_.:@-]+")) {
            out.add("alias label '" + l + "' must be '" + device + ":…', 15 characters at most");
          }
        });
    return out;
  }
}
