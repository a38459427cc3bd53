package org.bulwark.vip.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;

/**
 * Where a configured {@code <virtual_addr>} goes on this node (spec B.6), as a pure function of the
 * node's interfaces: the interface named by {@code interface@name} or the only one on the VIP's
 * network (autodetect), the prefix of {@code netmask} or of that network, and for {@code
 * one_side_alias} the alias label {@code <interface>:<module>} that {@code ip addr} and {@code
 * ifconfig} show; {@code one_side} is the source of the node's outgoing connections (IPv4).
 */
final class Placement {

  /** The longest interface label the kernel keeps ({@code IFNAMSIZ} - 1). */
  static final int LABEL_MAX = 15;

  private Placement() {}

  /** The address to set for {@code address} of {@code intf}; the exception says why not. */
  static VirtualAddress place(
      String module, Vip.Interface intf, Vip.Address address, List<NetInterface> interfaces)
      throws NetException {
    InetAddress vip = resolve(address.addr());
    NetInterface device = device(intf.name(), vip, interfaces);
    int prefix =
        address.netmask().isPresent()
            ? prefixOf(address.netmask().get(), address.addr())
            : networkPrefix(device, vip).orElse(full(vip));
    VirtualAddress placed = VirtualAddress.of(device.name(), vip, prefix);
    Optional<String> label = label(device.name(), module);
    if (address.where() == Vip.Where.ONE_SIDE) {
      placed = placed.asOneSide(); // outgoing connections take the VIP as their source
    } else if (vip instanceof Inet4Address && label.isPresent()) {
      placed = new VirtualAddress(device.name(), vip, prefix, label);
    }
    List<String> problems = placed.problems();
    if (!problems.isEmpty()) {
      throw new NetException(String.join("; ", problems));
    }
    return placed;
  }

  /** The VIP as an address: a literal, or a name resolved now (spec B.6: "IP preferred"). */
  static InetAddress resolve(String addr) throws NetException {
    try {
      return InetAddress.getByName(addr);
    } catch (UnknownHostException e) {
      throw new NetException("'" + addr + "' does not resolve on this node: give an IP address");
    }
  }

  /** The interface named, or the only one with an address of its own on the VIP's network. */
  static NetInterface device(Optional<String> name, InetAddress vip, List<NetInterface> interfaces)
      throws NetException {
    if (name.isPresent()) {
      return interfaces.stream()
          .filter(i -> i.name().equals(name.get()))
          .findFirst()
          .orElseThrow(
              () ->
                  new NetException(
                      "no interface named '"
                          + name.get()
                          + "' on this node (interfaces: "
                          + names(interfaces)
                          + ")"));
    }
    List<NetInterface> on = new ArrayList<>();
    for (NetInterface i : interfaces) {
      if (networkPrefix(i, vip).isPresent()) {
        on.add(i);
      }
    }
    if (on.size() == 1) {
      return on.get(0);
    }
    String ip = AddressText.of(vip);
    if (on.isEmpty()) {
      throw new NetException(
          "no interface of this node is on the network of "
              + ip
              + ": name one with <interface name=\"…\">");
    }
    throw new NetException(
        "interfaces " + names(on) + " are all on the network of " + ip + ": name one");
  }

  /**
   * The prefix of the device's own address whose network holds {@code vip} (not the VIP itself, not
   * a host address), empty when none.
   */
  static Optional<Integer> networkPrefix(NetInterface device, InetAddress vip) {
    for (NetInterface.Address a : device.addresses()) {
      int full = full(a.address());
      if (a.prefixLength() < full
          && !a.address().equals(vip)
          && a.address().getClass() == vip.getClass()
          && sameNetwork(a.address(), vip, a.prefixLength())) {
        return Optional.of(a.prefixLength());
      }
    }
    return Optional.empty();
  }

  /** {@code 255.255.255.0} or {@code 24} as a prefix length (the driver's one reading). */
  static int prefixOf(String netmask, String addr) throws NetException {
    try {
      return VirtualAddress.prefixOf(netmask);
    } catch (IllegalArgumentException e) {
      throw new NetException(e.getMessage() + " (virtual IP " + addr + ")");
    }
  }

  /** {@code <device>:<module>}, the module's name cut to fit; empty when nothing fits. */
  static Optional<String> label(String device, String module) {
    int room = LABEL_MAX - device.length() - 1;
    if (room < 1) {
      return Optional.empty();
    }
    return Optional.of(device + ":" + module.substring(0, Math.min(room, module.length())));
  }

  static int full(InetAddress a) {
    return a instanceof Inet4Address ? 32 : 128;
  }

  static boolean sameNetwork(InetAddress a, InetAddress b, int prefix) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >> (bit % 8);
      if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static String names(List<NetInterface> interfaces) {
    return String.join(", ", interfaces.stream().map(NetInterface::name).toList());
  }
}
