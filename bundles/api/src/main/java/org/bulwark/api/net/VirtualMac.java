package org.bulwark.api.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * {@code vmac_invisible} on one interface (spec B.6, D.3): every node answers ARP for the VIPs with
 * the same unicast virtual MAC, never sent as an Ethernet source, so that switches never learn it
 * and flood the VIPs' traffic to every node; each node takes frames sent to it as its own.
 *
 * @param device the interface
 * @param mac the virtual MAC ({@link MacAddress#forVip} by default)
 * @param vips the virtual addresses answered with the virtual MAC (ARP for IPv4, neighbour
 *     advertisements for IPv6)
 */
public record VirtualMac(String device, MacAddress mac, List<InetAddress> vips) {
  public VirtualMac {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mac, "mac");
    vips = List.copyOf(vips);
  }
}
