package org.bulwark.api.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel filter of one module holds on this node, read back from the kernel ({@code
 * safekit -r vip_if_ctrl -l}, spec D.3).
 *
 * @param module the module
 * @param table the nftables table
 * @param groups per group name, the buckets this node accepts, in the table's order
 */
public record BucketView(String module, String table, Map<String, BucketSet> groups) {
  public BucketView {
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
  }

  /** One line per group: its name, the number of buckets, and the 8 words. */
  public String render() {
    StringBuilder out = new StringBuilder();
    groups.forEach(
        (name, set) ->
            out.append(name)
                .append(' ')
                .append(set.size())
                .append("/256 ")
                .append(set)
                .append('\n'));
    return out.toString();
  }
}
