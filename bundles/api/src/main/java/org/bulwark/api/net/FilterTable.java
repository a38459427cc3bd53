package org.bulwark.api.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bulwark.api.farm.BucketSet;

/**
 * Everything one farm module asks of the kernel filter on this node; {@link
 * PacketFilter#apply(FilterTable)} makes the kernel hold exactly this, in one transaction.
 *
 * @param module the module's name; the kernel table is {@link #tableName(String)}
 * @param groups the load-balancing groups with this node's buckets
 * @param vmacs the interfaces in {@code vmac_invisible} mode
 */
public record FilterTable(String module, List<FilterGroup> groups, List<VirtualMac> vmacs) {
  public FilterTable {
    Objects.requireNonNull(module, "module");
    groups = List.copyOf(groups);
    vmacs = List.copyOf(vmacs);
  }

  /** The same table with each group's buckets replaced by those of the group of that name. */
  public FilterTable withBuckets(Map<String, BucketSet> buckets) {
    return new FilterTable(
        module,
        groups.stream()
            .map(g -> g.withBuckets(buckets.getOrDefault(g.name(), g.buckets())))
            .toList(),
        vmacs);
  }

  /**
   * The nftables table of a module: {@code bulwark_} followed by the module name with {@code _}
   * doubled, {@code .} as {@code _d} and {@code -} as {@code _h}, so that distinct modules never
   * share a table and one module always finds the table its previous run left.
   */
  public static String tableName(String module) {
    if (!module.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("invalid module name '" + module + "'");
    }
    return "bulwark_" + module.replace("_", "__").replace(".", "_d").replace("-", "_h");
  }

  /** Every reason this table cannot be programmed, empty when it can. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!module.matches("[A-Za-z0-9_.-]+")) {
      out.add("invalid module name '" + module + "'");
    }
    Set<String> names = new HashSet<>();
    for (FilterGroup g : groups) {
      if (!names.add(g.name())) {
        out.add("group " + g.name() + " appears twice");
      }
      if (!g.name().matches("[A-Za-z0-9_.-]+")) {
        out.add("invalid group name '" + g.name() + "'");
      }
      if (g.rules().isEmpty()) {
        out.add("group " + g.name() + " has no rule");
      }
      g.rules().forEach(r -> out.addAll(r.problems()));
      // per address family: a node is forwarded IPv4 packets to its IPv4 address, IPv6 to its IPv6
      Map<Class<?>, BucketSet> taken = new HashMap<>();
      for (FilterGroup.Forward f : g.forwards()) {
        BucketSet before = taken.getOrDefault(f.node().getClass(), g.buckets());
        if (!f.buckets().intersect(before).isEmpty()) {
          out.add(
              "group "
                  + g.name()
                  + ": buckets forwarded to "
                  + AddressText.of(f.node())
                  + " are also held or forwarded elsewhere (a bucket has one owner)");
        }
        taken.put(f.node().getClass(), before.union(f.buckets()));
      }
    }
    for (VirtualMac v : vmacs) {
      if (v.mac().isMulticast()) {
        out.add("virtual MAC " + v.mac() + " of " + v.device() + " is a group address");
      }
      if (!v.device().matches("[A-Za-z0-9_.:@-]{1,15}")) {
        out.add("invalid interface name '" + v.device() + "'");
      }
    }
    return out;
  }
}
