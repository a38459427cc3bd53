package org.bulwark.api.farm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Farm membership and load balancing of one module as one node sees it: what the kernel filter
 * programs ({@link #localBuckets}), what {@code safekit -r vip_if_ctrl -l}, REST and the console
 * show. Immutable; a new one comes with every membership change.
 *
 * @param module the module
 * @param self this node
 * @param view the installed view; {@link FarmView#NONE} while this node takes no part
 * @param groups one allocation per {@code <group>}, in configuration order
 */
public record FarmStatus(String module, String self, FarmView view, List<GroupAllocation> groups) {

  public FarmStatus {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(view, "view");
    groups = List.copyOf(groups);
  }

  /** This node is a member of its view (it takes its share of the traffic). */
  public boolean member() {
    return view.contains(self);
  }

  /** The group of that name ({@code <group name>}) or resource ({@code <name>_<index>}). */
  public Optional<GroupAllocation> group(String nameOrResource) {
    return groups.stream()
        .filter(g -> g.name().equals(nameOrResource) || g.resource().equals(nameOrResource))
        .findFirst();
  }

  /** The buckets this node accepts in that group; empty when not a member or no such group. */
  public BucketSet localBuckets(String group) {
    return group(group).map(g -> g.buckets(self)).orElse(BucketSet.EMPTY);
  }
}
