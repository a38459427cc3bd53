package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code <vip>} element (spec B.6): virtual addresses and, for a farm, load balancing. Not
 * dynamic.
 *
 * @param tcpreset reset connections from the VIP before removing it (default on)
 * @param scriptcontrol farm: scripts open and close the VIP traffic themselves (default off)
 * @param interfaces the {@code <interface_list>} entries
 * @param groups the {@code <loadbalancing_list>} groups (farm only; empty for mirror)
 */
public record Vip(
    boolean tcpreset, boolean scriptcontrol, List<Interface> interfaces, List<Group> groups) {

  public Vip {
    interfaces = List.copyOf(interfaces);
    groups = List.copyOf(groups);
  }

  /** Every virtual address of every interface, in file order. */
  public List<Address> addresses() {
    return interfaces.stream().flatMap(i -> i.addresses().stream()).toList();
  }

  /** {@code virtual_interface@type}. */
  public enum VmacType {
    VMAC_DIRECTED,
    VMAC_INVISIBLE
  }

  /** {@code virtual_addr@where}. */
  public enum Where {
    ALIAS,
    ONE_SIDE_ALIAS,
    ONE_SIDE
  }

  /** {@code rule@proto}. */
  public enum Proto {
    TCP,
    UDP,
    ARP
  }

  /** {@code rule@filter}. */
  public enum Filter {
    ON_ADDR,
    ON_PORT,
    ON_IPID
  }

  /**
   * One {@code <interface>}.
   *
   * @param check generate the interface checker {@code intf.<network>} (default on)
   * @param arpreroute broadcast gratuitous ARP periodically (default off)
   * @param arpinterval period of arpreroute (default 60 s)
   * @param arpelapse duration of arpreroute after the VIP is set (default 1200 s)
   * @param name explicit interface name; empty = autodetect
   * @param virtual whether the addresses sit in {@code <virtual_interface>} (farm, vmac) rather
   *     than {@code <real_interface>} (mirror)
   * @param vmacType virtual MAC mode of a {@code <virtual_interface>}
   * @param mac virtual MAC of {@code vmac_invisible}, when given
   * @param addresses the virtual addresses, at least one
   */
  public record Interface(
      boolean check,
      boolean arpreroute,
      Duration arpinterval,
      Duration arpelapse,
      Optional<String> name,
      boolean virtual,
      Optional<VmacType> vmacType,
      Optional<String> mac,
      List<Address> addresses) {
    public Interface {
      Objects.requireNonNull(name);
      Objects.requireNonNull(vmacType);
      Objects.requireNonNull(mac);
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * One {@code <virtual_addr>}.
   *
   * @param addr the virtual IP (or name)
   * @param where alias placement
   * @param check generate the ip checker {@code ip.<addr>} (default on)
   * @param connections count connections into {@code connections.<addr>} (default off)
   * @param netmask IPv4 netmask, when given
   */
  public record Address(
      String addr, Where where, boolean check, boolean connections, Optional<String> netmask) {
    public Address {
      Objects.requireNonNull(addr);
      Objects.requireNonNull(where);
      Objects.requireNonNull(netmask);
    }
  }

  /**
   * One load-balancing {@code <group>}.
   *
   * @param name group name (resources {@code <name>_<n>})
   * @param hosts the explicit {@code <cluster>} subset; empty = all farm nodes, equal power
   * @param rules the filtering rules, at least one
   */
  public record Group(String name, List<Host> hosts, List<Rule> rules) {
    public Group {
      hosts = List.copyOf(hosts);
      rules = List.copyOf(rules);
    }
  }

  /** {@code <host name power>}: relative weight of a node in a group, 0 = no traffic. */
  public record Host(String name, int power) {}

  /**
   * {@code <rule>}.
   *
   * @param virtualAddr a VIP or {@code *} (all)
   * @param port a port or {@code *} (all)
   * @param proto tcp, udp or arp
   * @param filter the field the bucket is computed from
   */
  public record Rule(String virtualAddr, String port, Proto proto, Filter filter) {
    /** The port as a number, empty for {@code *}. */
    public OptionalInt portNumber() {
      return "*".equals(port) ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port));
    }
  }
}
