package org.bulwark.automaton.farm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the farm membership of one module on one node needs (spec B.5, B.6).
 *
 * @param module the module name, carried by every pulse
 * @param self this node's name
 * @param nodes every node of the farm's lans, this one included (pulses of other senders are
 *     dropped); kept in name order
 * @param pulseMillis time between two pulses ({@code <farm pulse>}, default 100 ms)
 * @param mlostCount pulses missed before the leader is given up and a new one elected ({@code
 *     mlost_count}, default 20)
 * @param slostCount pulses missed before a member is declared offline ({@code slost_count}, default
 *     10)
 * @param groups the load-balancing groups, in configuration order
 */
public record FarmConfig(
    String module,
    String self,
    List<String> nodes,
    long pulseMillis,
    int mlostCount,
    int slostCount,
    List<FarmGroup> groups) {

  public static final long DEFAULT_PULSE = 100;
  public static final int DEFAULT_MLOST_COUNT = 20;
  public static final int DEFAULT_SLOST_COUNT = 10;

  public FarmConfig {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(self, "self");
    String[] sorted = nodes.toArray(String[]::new);
    Arrays.sort(sorted);
    nodes = List.of(sorted);
    groups = List.copyOf(groups);
    if (!nodes.contains(self)) {
      throw new IllegalArgumentException("farm of " + module + ": " + self + " is not a farm node");
    }
    if (pulseMillis <= 0 || mlostCount <= 0 || slostCount <= 0) {
      throw new IllegalArgumentException(
          "farm of " + module + ": pulse, mlost_count and slost_count must be > 0");
    }
  }

  /** Silence after which the leader is given up: {@code mlost_count × pulse} (spec D.2). */
  public long leaderTimeout() {
    return mlostCount * pulseMillis;
  }

  /** Silence after which a member is offline: {@code slost_count × pulse} (spec D.2). */
  public long memberTimeout() {
    return slostCount * pulseMillis;
  }

  /**
   * How long a node that joins listens before it may lead: long enough to hear every running node
   * ({@code slost_count × pulse}), so that a starting node does not take all 256 buckets while a
   * leader already serves them.
   */
  public long discovery() {
    return memberTimeout();
  }

  /** This configuration as seen from another node (the simulation's nodes share groups). */
  public FarmConfig as(String node) {
    return new FarmConfig(module, node, nodes, pulseMillis, mlostCount, slostCount, groups);
  }

  int index(String node) {
    return java.util.Collections.binarySearch(nodes, node);
  }
}
