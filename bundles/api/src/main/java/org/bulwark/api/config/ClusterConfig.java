package org.bulwark.api.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code cluster.xml} (spec A.2).
 *
 * @param port UDP port of the membership protocol ({@code lans@port}, default 4800)
 * @param pulse time between membership packets ({@code lans@pulse}, default 100 ms)
 * @param mlostCount packets missed before a new leader is elected (default 20)
 * @param slostCount packets missed before a follower is declared offline (default 10)
 * @param lans the lans in file order, at least one
 */
public record ClusterConfig(
    int port, Duration pulse, int mlostCount, int slostCount, List<Lan> lans) {

  public static final int DEFAULT_PORT = 4800;
  public static final Duration DEFAULT_PULSE = Duration.ofMillis(100);
  public static final int DEFAULT_MLOST_COUNT = 20;
  public static final int DEFAULT_SLOST_COUNT = 10;

  public ClusterConfig {
    Objects.requireNonNull(pulse, "pulse");
    lans = List.copyOf(lans);
  }

  /** The lan carrying distributed commands: the one with {@code command="on"}, else the first. */
  public Lan commandLan() {
    return lans.stream().filter(Lan::command).findFirst().orElse(lans.get(0));
  }

  /** The lan of that name. */
  public Optional<Lan> lan(String name) {
    return lans.stream().filter(lan -> lan.name().equals(name)).findFirst();
  }

  /** Every node name, in order of first appearance. */
  public Set<String> nodeNames() {
    Set<String> names = new LinkedHashSet<>();
    lans.forEach(lan -> lan.nodes().forEach(node -> names.add(node.name())));
    return names;
  }
}
