package org.bulwark.api.farm;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The 256 buckets of one load-balancing group (spec B.6 {@code <group>}, D.3) among the members of
 * one view.
 *
 * @param name the group's name ({@code <group name>})
 * @param resource the load-share resource and the name in messages: {@code <name>_<index>}, e.g.
 *     {@code FarmProto_0} (spec D.3, inferred)
 * @param members the view's members that belong to the group, in name order
 * @param owners for each bucket, the node that accepts its packets; empty when no member may take
 *     traffic (every member has power 0)
 */
public record GroupAllocation(
    String name, String resource, List<String> members, List<String> owners) {

  public GroupAllocation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resource, "resource");
    members = List.copyOf(members);
    owners = Collections.unmodifiableList(List.copyOf(owners));
    if (owners.size() != BucketSet.BUCKETS) {
      throw new IllegalArgumentException(
          "group " + resource + ": 256 owners, got " + owners.size());
    }
  }

  /** The buckets {@code node} owns. */
  public BucketSet buckets(String node) {
    return BucketSet.of(
        IntStream.range(0, BucketSet.BUCKETS).filter(b -> owners.get(b).equals(node)).toArray());
  }

  /** How many buckets {@code node} owns (the {@code N} of {@code farm load: N/256}). */
  public int load(String node) {
    return (int) owners.stream().filter(node::equals).count();
  }

  /** The owner of a bucket, empty when nobody takes it. */
  public Optional<String> owner(int bucket) {
    String o = owners.get(bucket);
    return o.isEmpty() ? Optional.empty() : Optional.of(o);
  }

  /** The value of the load-share resource for {@code node}, e.g. {@code 50%} (spec D.1). */
  public String share(String node) {
    return Math.round(100.0 * load(node) / BucketSet.BUCKETS) + "%";
  }
}
