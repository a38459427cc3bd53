package org.bulwark.api.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.bulwark.api.farm.BucketSet;

/**
 * One load-balancing group as this node programs it: the buckets this node accepts and the rules
 * they apply to. An empty bucket set closes the group's traffic on this node (spec D.4: before
 * start_both, after stop_both, or while scripts keep it closed with {@code scriptcontrol}).
 *
 * @param name the group's name as logs and resources spell it ({@code FarmProto_0})
 * @param buckets the buckets this node accepts
 * @param rules the group's rules, at least one
 * @param forwards {@code vmac_directed} (spec D.3: "the kernel filter forwards packets to the
 *     elected node"): packets of these buckets that reach this node are passed on, unchanged, to
 *     the node that holds them; empty in {@code vmac_invisible} mode, where every node receives
 *     every packet
 */
public record FilterGroup(
    String name, BucketSet buckets, List<FilterRule> rules, List<Forward> forwards) {
  public FilterGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(buckets, "buckets");
    rules = List.copyOf(rules);
    forwards = List.copyOf(forwards);
  }

  /** A group without forwarding. */
  public FilterGroup(String name, BucketSet buckets, List<FilterRule> rules) {
    this(name, buckets, rules, List.of());
  }

  /** The same group with other buckets, without forwarding. */
  public FilterGroup withBuckets(BucketSet other) {
    return new FilterGroup(name, other, rules, List.of());
  }

  /**
   * Packets of {@code buckets} go to the node at {@code node} (its address on the rule's
   * interface). Only the rules of the node address's family use it: a node reached over IPv4 and
   * IPv6 has one forward per family.
   */
  public record Forward(InetAddress node, BucketSet buckets) {
    public Forward {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(buckets, "buckets");
    }
  }
}
