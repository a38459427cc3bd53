package org.bulwark.net.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.VirtualMac;

/**
 * A module's guard table in nft's language (docs/vip.md, "A dead node drops its VIP's traffic"):
 * the table without owner that outlives the node's process and, once the process and so its filter
 * are gone, drops every packet to the module's VIPs and the VIPs' ARP on their interfaces. While
 * the filter lives it marks every packet, and the guard lets marked packets through.
 */
final class NftGuard {
  /**
   * The guard's chains run after the filter's on the same hooks (docs/vip.md, "A dead node drops
   * its VIP's traffic").
   */
  private static final int PRIORITY = -140;

  /**
   * The bit of the packet mark by which the filter tells the guard that this node's process is
   * alive: set by every chain of the owned table, tested and cleared by the guard before the IP
   * stack (ingress) or the wire (egress) sees the packet.
   */
  static final String ALIVE_MARK = "0x00100000";

  private static final String ALIVE_CLEAR = "0xffefffff";

  static final String MARK_ALIVE = "    meta mark set meta mark | " + ALIVE_MARK + "\n";

  /** The suffix of a module's guard table; {@code _g} is no escape of a module's name. */
  static final String SUFFIX = "_guard";

  private NftGuard() {}

  /** The name of the module's guard table, the one that outlives the node's process. */
  static String name(String module) {
    return FilterTable.tableName(module) + SUFFIX;
  }

  /**
   * The guard: per interface, at ingress, every packet to a VIP (and every ARP packet naming an
   * IPv4 VIP as target, every neighbour solicitation naming an IPv6 one) that the filter did not
   * mark is dropped; at egress, what {@link #egress} lists. Then the mark's bit is cleared. While
   * the process lives, its filter marks every packet and the guard lets everything through; once it
   * is dead, its filter is gone and the VIPs are silent here.
   */
  static void append(FilterTable t, List<String> devices, StringBuilder s) {
    s.append("table ").append(NftScript.FAMILY).append(' ').append(name(t.module())).append(" {\n");
    s.append("  comment \"bulwark guard of module ")
        .append(t.module())
        .append(": drops the VIPs' traffic when the node's process is gone\"\n");
    String unmarked = " meta mark & " + ALIVE_MARK + " == 0 drop\n";
    String clear = "    meta mark set meta mark & " + ALIVE_CLEAR + "\n";
    for (int i = 0; i < devices.size(); i++) {
      String dev = devices.get(i);
      Set<InetAddress> vips = vips(t, dev);
      s.append("  chain in").append(i).append(" {\n").append(hook("ingress", dev));
      for (InetAddress vip : vips) {
        if (vip instanceof Inet4Address) {
          s.append("    ip daddr ").append(AddressText.of(vip)).append(unmarked);
          s.append("    arp daddr ip ").append(AddressText.of(vip)).append(unmarked);
        } else if (vip instanceof Inet6Address v6) {
          s.append("    ip6 daddr ").append(AddressText.of(v6)).append(unmarked);
          // sent to the VIP's solicited-node multicast address, not to the VIP
          s.append("    ").append(NftNeighbour.solicitationFor(v6)).append(unmarked);
        }
      }
      s.append(clear).append("  }\n");
      List<String> egress = egress(t, dev);
      if (!egress.isEmpty()) {
        s.append("  chain out").append(i).append(" {\n").append(hook("egress", dev));
        egress.forEach(match -> s.append("    ").append(match).append(unmarked));
        s.append(clear).append("  }\n");
      }
    }
    s.append("}\n");
  }

  /**
   * What the guard drops at egress on {@code dev} without the mark, all of it naming a VIP with the
   * node's own MAC: ARP from an IPv4 VIP that {@code vmac_invisible} rewrites; the neighbour
   * advertisements for an IPv6 VIP and the solicitations from it. The filter has an egress chain
   * (which marks) exactly where this is not empty.
   */
  static List<String> egress(FilterTable t, String dev) {
    List<String> out = new ArrayList<>();
    for (VirtualMac v : t.vmacs()) {
      if (v.device().equals(dev)) {
        v.vips().stream()
            .filter(a -> a instanceof Inet4Address)
            .forEach(a -> out.add("arp saddr ip " + AddressText.of(a)));
      }
    }
    for (InetAddress vip : vips(t, dev)) {
      if (vip instanceof Inet6Address v6) {
        out.add(NftNeighbour.advertisementFor(v6));
        out.add(NftNeighbour.solicitationFrom(v6));
      }
    }
    return out;
  }

  /** The VIPs the table names on {@code dev} (its rules' and its virtual MACs'), in order. */
  private static Set<InetAddress> vips(FilterTable t, String dev) {
    Set<InetAddress> out = new LinkedHashSet<>();
    t.groups()
        .forEach(
            g ->
                g.rules().stream()
                    .filter(r -> r.device().equals(dev))
                    .forEach(r -> out.add(r.vip())));
    t.vmacs().stream().filter(v -> v.device().equals(dev)).forEach(v -> out.addAll(v.vips()));
    return out;
  }

  private static String hook(String hook, String dev) {
    return NftScript.hook(hook, dev, PRIORITY);
  }
}
