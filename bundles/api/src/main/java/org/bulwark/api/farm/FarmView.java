package org.bulwark.api.farm;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One membership view of a farm module (spec D.2): the nodes that take part in load balancing, as
 * the leader decided it. Every member of a connected group of nodes installs the same view, and the
 * bucket allocation is a function of it alone, so members agree on who owns what without further
 * negotiation.
 *
 * @param id increases with every view a leader installs (a new leader starts above every id it has
 *     seen); 0 for {@link #NONE}
 * @param leader the node that decided this view; empty for {@link #NONE}
 * @param members each member's node name and incarnation (its process life: a node that restarts
 *     comes back with a higher one), sorted by name
 */
public record FarmView(long id, String leader, SortedMap<String, Long> members) {

  /** No view: the node does not take part (stopped, or joining and not yet admitted). */
  public static final FarmView NONE = new FarmView(0, "", new TreeMap<>());

  public FarmView {
    Objects.requireNonNull(leader, "leader");
    members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
  }

  /** A view of these members. */
  public static FarmView of(long id, String leader, Map<String, Long> members) {
    return new FarmView(id, leader, new TreeMap<>(members));
  }

  public boolean contains(String node) {
    return members.containsKey(node);
  }

  /** The member names in order. */
  public List<String> names() {
    return List.copyOf(members.keySet());
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /** Same members with the same incarnations (id and leader aside). */
  public boolean sameMembers(FarmView o) {
    return members.equals(o.members);
  }

  @Override
  public String toString() {
    return "view " + id + " by " + (leader.isEmpty() ? "-" : leader) + " " + members.keySet();
  }
}
