package org.bulwark.api.net;

import java.util.List;
import java.util.Objects;

/**
 * One load-balancing group as this node programs it: the buckets this node accepts and the rules
 * they apply to. An empty bucket set closes the group's traffic on this node (spec D.4: before
 * start_both, after stop_both, or while scripts keep it closed with {@code scriptcontrol}).
 *
 * @param name the group's name as logs and resources spell it ({@code FarmProto_0})
 * @param buckets the buckets this node accepts
 * @param rules the group's rules, at least one
 */
public record FilterGroup(String name, BucketSet buckets, List<FilterRule> rules) {
  public FilterGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(buckets, "buckets");
    rules = List.copyOf(rules);
  }

  /** The same group with other buckets. */
  public FilterGroup withBuckets(BucketSet other) {
    return new FilterGroup(name, other, rules);
  }
}
