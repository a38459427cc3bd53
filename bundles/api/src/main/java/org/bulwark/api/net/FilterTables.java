package org.bulwark.api.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.GroupAllocation;

/**
 * A farm module's {@link FilterTable} from its {@code <vip>} (spec B.6, D.3): the one reading of
 * the configuration that every caller shares.
 *
 * <ul>
 *   <li>A rule's {@code virtual_addr="*"} stands for every {@code where="alias"} address (only
 *       these get load-balancing rules); a named VIP must be one of them.
 *   <li>Each rule is programmed on the interface of its VIP's {@code <interface>}.
 *   <li>A {@code vmac_invisible} interface answers for its VIPs (ARP and neighbour discovery) with
 *       {@code virtual_interface@addr}, or {@code 5a:fe} + its first IPv4 VIP.
 *   <li>A group without buckets in {@code buckets} is closed (spec D.4).
 * </ul>
 */
public final class FilterTables {
  private FilterTables() {}

  /**
   * The table.
   *
   * @param module the module
   * @param vip its {@code <vip>}
   * @param device the interface to use for each {@code <interface>} ({@code interface@name}, or the
   *     one {@link AddressManager#interfaceFor} found)
   * @param buckets per group name, this node's buckets
   * @param forwards per group name, the other nodes' buckets ({@code vmac_directed})
   * @throws IllegalArgumentException naming every part of the configuration that cannot be
   *     programmed (a VIP given by host name, a rule naming an unknown VIP, …)
   */
  public static FilterTable of(
      String module,
      Vip vip,
      Function<Vip.Interface, String> device,
      Map<String, BucketSet> buckets,
      Map<String, List<FilterGroup.Forward>> forwards) {
    List<String> problems = new ArrayList<>();
    List<FilterRule> aliases = new ArrayList<>(); // one per alias VIP, port and key unset
    List<VirtualMac> vmacs = new ArrayList<>();
    for (Vip.Interface intf : vip.interfaces()) {
      String dev = device.apply(intf);
      List<InetAddress> vips = new ArrayList<>(); // answered with the virtual MAC
      Optional<InetAddress> v4 = Optional.empty();
      for (Vip.Address a : intf.addresses()) {
        Optional<InetAddress> ip = literal(a.addr(), problems);
        if (ip.isPresent() && a.where() == Vip.Where.ALIAS) {
          aliases.add(
              new FilterRule(
                  dev, ip.get(), OptionalInt.empty(), Vip.Proto.TCP, Vip.Filter.ON_ADDR));
          vips.add(ip.get());
          if (v4.isEmpty() && ip.get() instanceof Inet4Address) {
            v4 = ip;
          }
        }
      }
      if (intf.vmacType().orElse(null) == Vip.VmacType.VMAC_INVISIBLE && intf.virtual()) {
        if (intf.mac().isPresent()) {
          try {
            vmacs.add(new VirtualMac(dev, MacAddress.parse(intf.mac().get()), vips));
          } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
          }
        } else if (v4.isPresent()) {
          vmacs.add(new VirtualMac(dev, MacAddress.forVip((Inet4Address) v4.get()), vips));
        } else {
          problems.add("vmac_invisible on " + dev + " needs an IPv4 virtual address or addr");
        }
      }
    }
    List<FilterGroup> groups = new ArrayList<>();
    for (Vip.Group g : vip.groups()) {
      List<FilterRule> rules = new ArrayList<>();
      for (Vip.Rule r : g.rules()) {
        List<FilterRule> targets = aliases;
        if (!"*".equals(r.virtualAddr())) {
          Optional<InetAddress> ip = literal(r.virtualAddr(), problems);
          targets =
              aliases.stream().filter(a -> ip.isPresent() && a.vip().equals(ip.get())).toList();
          if (ip.isPresent() && targets.isEmpty()) {
            problems.add(
                "rule of group "
                    + g.name()
                    + " names "
                    + r.virtualAddr()
                    + ", which is not an alias virtual_addr");
          }
        }
        for (FilterRule a : targets) {
          rules.add(new FilterRule(a.device(), a.vip(), r.portNumber(), r.proto(), r.filter()));
        }
      }
      groups.add(
          new FilterGroup(
              g.name(),
              buckets.getOrDefault(g.name(), BucketSet.EMPTY),
              rules,
              forwards.getOrDefault(g.name(), List.of())));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new FilterTable(module, groups, vmacs);
  }

  /**
   * {@code vmac_directed}: the forwards of one group from its allocation (docs/farm.md: {@code
   * status.group(g)}) — the buckets of every other owner, to that owner's address on the VIP's
   * network. Owners without an address in {@code addresses} are left out (their packets are dropped
   * here, as any bucket this node does not hold).
   */
  public static List<FilterGroup.Forward> forwards(
      GroupAllocation allocation, String self, Map<String, InetAddress> addresses) {
    Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
    for (int b = 0; b < BucketSet.BUCKETS; b++) {
      Optional<String> owner = allocation.owner(b);
      if (owner.isPresent() && !owner.get().equals(self) && addresses.containsKey(owner.get())) {
        byOwner.computeIfAbsent(owner.get(), o -> new ArrayList<>()).add(b);
      }
    }
    List<FilterGroup.Forward> out = new ArrayList<>();
    byOwner.forEach(
        (owner, buckets) ->
            out.add(
                new FilterGroup.Forward(
                    addresses.get(owner),
                    BucketSet.of(buckets.stream().mapToInt(Integer::intValue).toArray()))));
    return out;
  }

  /** An IP literal, never a DNS lookup (names are resolved by the caller, once). */
  private static Optional<InetAddress> literal(String text, List<String> problems) {
    if (text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || text.contains(":")) {
      try {
        return Optional.of(InetAddress.getByName(text));
      } catch (UnknownHostException e) {
        // falls through to the problem below
      }
    }
    problems.add("virtual address '" + text + "' is not an IP address (resolve names first)");
    return Optional.empty();
  }
}
