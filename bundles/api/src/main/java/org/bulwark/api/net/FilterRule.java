package org.bulwark.api.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;

/**
 * One {@code <rule>} of a load-balancing group (spec B.6) resolved for one virtual address: the
 * module runtime expands {@code virtual_addr="*"} into one rule per {@code alias} VIP.
 *
 * @param device the interface that holds the VIP and receives its traffic
 * @param vip the virtual address the rule filters
 * @param port the service port; empty for {@code port="*"} (every port)
 * @param proto tcp, udp, or arp (ARP requests for the VIP: only the requester's bucket owner
 *     answers)
 * @param key what the bucket is computed from ({@link BucketHash})
 */
public record FilterRule(
    String device, InetAddress vip, OptionalInt port, Vip.Proto proto, Vip.Filter key) {

  public FilterRule {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(vip, "vip");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(proto, "proto");
    Objects.requireNonNull(key, "key");
  }

  /** Every reason this rule cannot be programmed, empty when it can. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!device.matches("[A-Za-z0-9_.:@-]{1,15}")) {
      out.add("invalid interface name '" + device + "'");
    }
    if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
      out.add(
          "port " + port.getAsInt() + " of rule on " + AddressText.of(vip) + " is not 1..65535");
    }
    if (key == Vip.Filter.ON_IPID && !(vip instanceof Inet4Address)) {
      out.add("on_ipid needs an IPv4 virtual address, not " + AddressText.of(vip));
    }
    if (key == Vip.Filter.ON_IPID && proto == Vip.Proto.TCP) {
      out.add("on_ipid is meaningless for tcp (spec B.6): rule on " + AddressText.of(vip));
    }
    if (proto == Vip.Proto.ARP) {
      if (key != Vip.Filter.ON_ADDR) {
        out.add("an arp rule needs filter=\"on_addr\" (rule on " + AddressText.of(vip) + ")");
      }
      if (!(vip instanceof Inet4Address)) {
        out.add("an arp rule needs an IPv4 virtual address, not " + AddressText.of(vip));
      }
      if (port.isPresent()) {
        out.add("an arp rule has no port (rule on " + AddressText.of(vip) + ")");
      }
    }
    return out;
  }
}
