package org.bulwark.automaton.farm;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One load-balancing {@code <group>} of a farm module (spec B.6): its hosts with their power and
 * the bucket table built from them. Immutable; build it once per configuration and share it (the
 * table costs a few milliseconds for 32 hosts).
 *
 * @param name {@code <group name>}
 * @param index the group's position in {@code <loadbalancing_list>}
 * @param hosts the nodes of the group ({@code <cluster>}, else every farm node)
 * @param table the buckets' preference lists
 */
public record FarmGroup(String name, int index, SortedSet<String> hosts, BucketTable table) {

  public FarmGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(table, "table");
    hosts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(hosts));
  }

  /**
   * A group with an explicit {@code <cluster>}: only these hosts, with their power (0 = member of
   * the group, never any traffic).
   */
  public static FarmGroup weighted(String name, int index, Map<String, Integer> powers) {
    return new FarmGroup(name, index, new TreeSet<>(powers.keySet()), BucketTable.of(powers));
  }

  /** A group without {@code <cluster>}: every farm node with the same power. */
  public static FarmGroup all(String name, int index, Collection<String> farmNodes) {
    Map<String, Integer> powers = new TreeMap<>();
    farmNodes.forEach(n -> powers.put(n, 1));
    return weighted(name, index, powers);
  }

  /** The load-share resource and the name in messages, {@code <name>_<index>} (spec D.3). */
  public String resource() {
    return name + "_" + index;
  }

  /** The view's members that belong to this group. */
  public SortedSet<String> membersOf(Set<String> viewMembers) {
    SortedSet<String> m = new TreeSet<>(viewMembers);
    m.retainAll(hosts);
    return m;
  }
}
