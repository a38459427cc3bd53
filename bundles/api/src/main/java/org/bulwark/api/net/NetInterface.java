package org.bulwark.api.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A network interface of this node as the kernel describes it.
 *
 * @param name its name
 * @param index its index
 * @param mac its Ethernet address; empty for interfaces without one (loopback, tunnels)
 * @param up administratively up
 * @param running carrier present and operational ({@code IFF_RUNNING}): the {@code intf.*}
 *     checker's resource
 * @param promiscuous in promiscuous mode
 * @param addresses its addresses
 */
public record NetInterface(
    String name,
    int index,
    Optional<MacAddress> mac,
    boolean up,
    boolean running,
    boolean promiscuous,
    List<Address> addresses) {

  public NetInterface {
    addresses = List.copyOf(addresses);
  }

  /**
   * One address of the interface.
   *
   * @param address the address
   * @param prefixLength its network's prefix
   * @param label its IPv4 label (the interface's name for a plain address)
   * @param secondary whether the kernel holds it as secondary in its network (IPv4)
   */
  public record Address(
      InetAddress address, int prefixLength, Optional<String> label, boolean secondary) {}
}
