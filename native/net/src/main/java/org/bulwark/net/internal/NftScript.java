package org.bulwark.net.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.BucketHash;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.VirtualMac;

/**
 * A module's filter in nft's language (docs/vip.md, "The filter"). One {@code netdev} table per
 * module, one ingress chain per interface (and an egress chain where {@code vmac_invisible}
 * rewrites ARP or neighbour discovery, or where the guard watches IPv6 neighbour discovery): the
 * filter runs before the IP stack, so a dropped packet costs no routing, no conntrack and no socket
 * lookup, and local clients of the VIP (through {@code lo}) are never filtered.
 *
 * <p>Per rule: {@code <vip match> <proto/port match> jhash <key> mod 256 seed S != { this node's
 * buckets } drop comment "group G"}; a closed group (no bucket) drops every packet of the rule; the
 * comment names the group so that {@link NftListing} reads the buckets back.
 *
 * <p>The table is owned by the node's libnftables context, and a guard table without owner drops
 * the VIPs' traffic it did not mark: a dead node's machine stays silent (docs/vip.md, "A dead node
 * drops its VIP's traffic").
 */
final class NftScript {
  static final String FAMILY = "netdev";
  static final String GROUP_COMMENT = "group ";
  static final String FORWARD_COMMENT = " forward ";
  private static final int PRIORITY = -150;

  private NftScript() {}

  /**
   * The commands that replace the module's two tables in one transaction: the filter, owned by this
   * libnftables context ({@code flags owner}: the kernel deletes it when the context's netlink
   * socket closes, i.e. when the process dies), and its guard, which has no owner and drops the
   * VIPs' traffic the filter did not mark. For each, {@code add} makes sure a table exists so that
   * {@code delete} cannot fail ({@code flags owner} in the {@code add} too: the kernel refuses to
   * change the flag of an existing table), then the new table.
   */
  static String replace(FilterTable t) {
    String name = FilterTable.tableName(t.module());
    StringBuilder s = new StringBuilder();
    s.append("add table ").append(FAMILY).append(' ').append(name).append(" { flags owner; }\n");
    s.append("delete table ").append(FAMILY).append(' ').append(name).append('\n');
    s.append(remove(NftGuard.name(t.module())));
    s.append("table ").append(FAMILY).append(' ').append(name).append(" {\n");
    s.append("  flags owner\n");
    s.append("  comment \"bulwark farm filter of module ").append(t.module()).append("\"\n");
    List<String> devices = devices(t);
    for (int i = 0; i < devices.size(); i++) {
      String dev = devices.get(i);
      s.append("  chain in").append(i).append(" {\n");
      s.append(hook("ingress", dev));
      s.append(NftGuard.MARK_ALIVE);
      for (VirtualMac v : t.vmacs()) {
        if (v.device().equals(dev)) {
          s.append("    ether daddr ").append(v.mac()).append(" meta pkttype set host\n");
        }
      }
      for (FilterGroup g : t.groups()) {
        for (FilterRule r : g.rules()) {
          if (r.device().equals(dev)) {
            if (r.proto() != Vip.Proto.ARP) {
              for (FilterGroup.Forward f : g.forwards()) {
                if (f.node().getClass() == r.vip().getClass()) {
                  s.append("    ").append(forward(r, g, f)).append('\n');
                }
              }
            }
            s.append("    ").append(rule(r, g)).append('\n');
          }
        }
      }
      s.append("  }\n");
      List<String> egress = new ArrayList<>();
      for (VirtualMac v : t.vmacs()) {
        if (v.device().equals(dev)) {
          for (InetAddress vip : v.vips()) {
            // every ARP packet and ND message from the VIP names the virtual MAC (never the
            // frame's source)
            if (vip instanceof Inet4Address) {
              egress.add("arp saddr ip " + AddressText.of(vip) + " arp saddr ether set " + v.mac());
            } else if (vip instanceof Inet6Address v6) {
              egress.add(NftNeighbour.advertiseAs(v6, v.mac()));
              egress.add(NftNeighbour.solicitAs(v6, v.mac()));
            }
          }
        }
      }
      // marked wherever the guard drops at egress what this chain does not mark
      if (!NftGuard.egress(t, dev).isEmpty()) {
        s.append("  chain out").append(i).append(" {\n").append(hook("egress", dev));
        s.append(NftGuard.MARK_ALIVE);
        egress.forEach(line -> s.append("    ").append(line).append('\n'));
        s.append("  }\n");
      }
    }
    s.append("}\n");
    NftGuard.append(t, devices, s);
    return s.toString();
  }

  /**
   * The commands that remove table {@code name} (one without owner) whether or not it exists, in
   * one transaction.
   */
  static String remove(String name) {
    return "add table " + FAMILY + " " + name + "\ndelete table " + FAMILY + " " + name + "\n";
  }

  /** The interfaces the table hooks, in order of first appearance. */
  static List<String> devices(FilterTable t) {
    Set<String> out = new LinkedHashSet<>();
    t.groups().forEach(g -> g.rules().forEach(r -> out.add(r.device())));
    t.vmacs().forEach(v -> out.add(v.device()));
    return new ArrayList<>(out);
  }

  private static String hook(String hook, String dev) {
    return hook(hook, dev, PRIORITY);
  }

  static String hook(String hook, String dev, int priority) {
    return "    type filter hook "
        + hook
        + " device \""
        + dev
        + "\" priority "
        + priority
        + "; policy accept;\n";
  }

  /**
   * {@code vmac_directed}: the packets of another node's buckets leave again at once, unchanged,
   * towards that node ({@code fwd ... to}: the frame gets the node's MAC from the neighbour table
   * and this interface's as source), before the drop rule sees them.
   */
  static String forward(FilterRule r, FilterGroup g, FilterGroup.Forward f) {
    boolean v4 = r.vip() instanceof Inet4Address;
    String proto = r.proto().name().toLowerCase(Locale.ROOT);
    return match(r, v4, proto)
        + " jhash "
        + key(r, v4, proto)
        + " mod "
        + BucketSet.BUCKETS
        + " seed 0x"
        + Integer.toHexString(BucketHash.SEED)
        + " "
        + set(f.buckets())
        + " fwd "
        + (v4 ? "ip" : "ip6")
        + " to "
        + AddressText.of(f.node())
        + " device \""
        + r.device()
        + "\" comment \""
        + GROUP_COMMENT
        + g.name()
        + FORWARD_COMMENT
        + AddressText.of(f.node())
        + "\"";
  }

  /** Maximal runs of consecutive buckets, each {@code {first, last}}, in increasing order. */
  static List<int[]> ranges(BucketSet buckets) {
    List<int[]> out = new ArrayList<>();
    for (int b : buckets.toArray()) {
      if (!out.isEmpty() && out.get(out.size() - 1)[1] == b - 1) {
        out.get(out.size() - 1)[1] = b;
      } else {
        out.add(new int[] {b, b});
      }
    }
    return out;
  }

  private static String set(BucketSet buckets) {
    return "{ "
        + ranges(buckets).stream()
            .map(x -> x[0] == x[1] ? "" + x[0] : x[0] + "-" + x[1])
            .collect(Collectors.joining(", "))
        + " }";
  }

  private static String match(FilterRule r, boolean v4, String proto) {
    String vip = AddressText.of(r.vip());
    StringBuilder s = new StringBuilder();
    if (r.proto() == Vip.Proto.ARP) {
      s.append("arp operation request arp daddr ip ").append(vip);
    } else {
      s.append(v4 ? "ip daddr " : "ip6 daddr ").append(vip);
      if (r.port().isPresent()) {
        s.append(' ').append(proto).append(" dport ").append(r.port().getAsInt());
      } else {
        s.append(" meta l4proto ").append(proto);
      }
    }
    return s.toString();
  }

  static String rule(FilterRule r, FilterGroup g) {
    boolean v4 = r.vip() instanceof Inet4Address;
    String proto = r.proto().name().toLowerCase(Locale.ROOT);
    StringBuilder s = new StringBuilder(match(r, v4, proto));
    if (!g.buckets().isEmpty()) {
      s.append(" jhash ")
          .append(key(r, v4, proto))
          .append(" mod ")
          .append(BucketSet.BUCKETS)
          .append(" seed 0x")
          .append(Integer.toHexString(BucketHash.SEED))
          .append(" != ")
          .append(set(g.buckets()));
    }
    return s.append(" drop comment \"")
        .append(GROUP_COMMENT)
        .append(g.name())
        .append('"')
        .toString();
  }

  private static String key(FilterRule r, boolean v4, String proto) {
    if (r.proto() == Vip.Proto.ARP) {
      return "arp saddr ip";
    }
    return switch (r.key()) {
      case ON_ADDR -> v4 ? "ip saddr" : "ip6 saddr";
      case ON_PORT -> proto + " sport";
      case ON_IPID -> "ip id";
    };
  }
}
