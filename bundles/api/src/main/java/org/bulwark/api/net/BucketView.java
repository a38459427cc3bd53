package org.bulwark.api.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.farm.BucketSet;

/**
 * What the kernel filter of one module holds on this node, read back from the kernel ({@code
 * safekit -r vip_if_ctrl -l}, spec D.3).
 *
 * @param module the module
 * @param table the nftables table
 * @param groups per group name, the buckets this node accepts, in the table's order
 * @param forwards per group name, the buckets this node passes on to other nodes ({@code
 *     vmac_directed}); groups without forwarding are absent
 */
public record BucketView(
    String module,
    String table,
    Map<String, BucketSet> groups,
    Map<String, List<FilterGroup.Forward>> forwards) {
  public BucketView {
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    Map<String, List<FilterGroup.Forward>> f = new LinkedHashMap<>();
    forwards.forEach((k, v) -> f.put(k, List.copyOf(v)));
    forwards = Collections.unmodifiableMap(f);
  }

  /**
   * One line per group: its name, the number of buckets, and the 8 words; under it, one line per
   * node its packets are forwarded to.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    groups.forEach(
        (name, set) -> {
          out.append(name).append(' ').append(set.size()).append("/256 ").append(set).append('\n');
          for (FilterGroup.Forward f : forwards.getOrDefault(name, List.of())) {
            out.append("  -> ")
                .append(AddressText.of(f.node()))
                .append(' ')
                .append(f.buckets().size())
                .append("/256 ")
                .append(f.buckets())
                .append('\n');
          }
        });
    return out.toString();
  }
}
