package org.bulwark.api.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Virtual addresses on this node's interfaces (spec B.6): set and removed in keepalived's order by
 * the runtime — {@link #add}, then {@link #announce} now and per {@link ArpSchedule}; on leaving,
 * {@link #resetConnections} ({@code tcpreset}) then {@link #remove}.
 */
@ProviderType
public interface AddressManager {

  /** This node's interfaces with their addresses. */
  List<NetInterface> interfaces() throws NetException;

  /** The interface, empty if there is none of that name. */
  Optional<NetInterface> find(String device) throws NetException;

  /**
   * The interface to put {@code vip} on when {@code interface@name} is not given (spec B.6:
   * autodetect): the one with an address of its own (not a /32 or /128) whose network contains the
   * VIP. Empty when none or several do.
   */
  Optional<NetInterface> interfaceFor(InetAddress vip) throws NetException;

  /** The local interface holding {@code address}, empty when none does. */
  Optional<String> holder(InetAddress address) throws NetException;

  /**
   * Sets the address. Returns true when set, false when the device already held it (an address left
   * by a previous run is taken as it is). Refuses, with a message naming them, an unknown
   * interface, an address held by another local interface, and a {@link VirtualAddress#problems()
   * malformed} request.
   */
  boolean add(VirtualAddress address) throws NetException;

  /** Removes the address from its device. Returns whether it was there. */
  boolean remove(VirtualAddress address) throws NetException;

  /**
   * Sends one gratuitous ARP for {@code vip} out of {@code device} (an ARP request from and for the
   * VIP, broadcast), naming {@code mac} as the VIP's hardware address, or the interface's own MAC
   * when empty.
   */
  void announce(String device, Inet4Address vip, Optional<MacAddress> mac) throws NetException;

  /**
   * The IPv6 counterpart: one unsolicited neighbour advertisement for {@code vip} out of {@code
   * device} (to all nodes, Override flag set, RFC 4861 §7.2.6), naming {@code mac} as the VIP's
   * hardware address, or the interface's own MAC when empty.
   */
  void announce(String device, Inet6Address vip, Optional<MacAddress> mac) throws NetException;

  /**
   * Who else on {@code device}'s link answers ARP for {@code address}: sends an ARP probe (sender
   * address 0.0.0.0, RFC 5227) and returns the hardware addresses that answered within {@code
   * wait}. Empty when nobody else holds it.
   */
  List<MacAddress> probe(String device, Inet4Address address, Duration wait) throws NetException;

  /**
   * {@code tcpreset} (spec B.6): aborts every TCP connection whose local address is {@code
   * address}, sending a reset to each peer, so that clients reconnect at once to the node taking
   * the VIP over instead of waiting for a timeout. Returns the number of connections reset.
   */
  int resetConnections(InetAddress address) throws NetException;

  /**
   * The established TCP connections whose local address is {@code address} ({@code
   * virtual_addr@connections}, spec B.6: the resource {@code connections.<vip>}).
   */
  int countConnections(InetAddress address) throws NetException;

  /** Sets or clears the interface's promiscuous mode ({@code vmac_invisible}, spec B.6). */
  void setPromiscuous(String device, boolean on) throws NetException;
}
