package org.bulwark.api.vip;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * What the virtual IPs and the filter of one farm module need to know.
 *
 * @param vip the module's {@code <vip>}, its module name and the record of the addresses set
 * @param nodes every farm node's address on the VIP's network, by node name: where {@code
 *     vmac_directed} forwards the packets of the buckets another node owns
 */
public record FarmVipSetup(VipSetup vip, Map<String, InetAddress> nodes) {
  public FarmVipSetup {
    Objects.requireNonNull(vip, "vip");
    nodes = Map.copyOf(nodes);
  }

  public String module() {
    return vip.module();
  }
}
