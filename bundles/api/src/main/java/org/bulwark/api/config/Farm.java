package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code <farm>} element of a farm module (spec B.5). Not dynamic.
 *
 * @param port the UDP port when given; otherwise derived from the module id
 * @param pulse time between membership packets (default 100 ms)
 * @param mlostCount packets missed before a new leader is elected (default 20)
 * @param slostCount packets missed before a follower is declared offline (default 10)
 * @param lans the lans used for membership, at least one
 */
public record Farm(
    OptionalInt port, Duration pulse, int mlostCount, int slostCount, List<Farm.Lan> lans) {

  public Farm {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(pulse, "pulse");
    lans = List.copyOf(lans);
  }

  /** The names of the cluster lans used (legacy lans have none). */
  public List<String> lanNames() {
    return lans.stream().map(Lan::name).filter(name -> !name.isEmpty()).toList();
  }

  /**
   * One {@code <farm><lan>}.
   *
   * @param name the cluster lan; empty in the legacy syntax
   * @param legacyNodes legacy syntax (before 7.2): the farm nodes listed in {@code <node>}
   */
  public record Lan(String name, List<Node> legacyNodes) {
    public Lan {
      legacyNodes = List.copyOf(legacyNodes);
    }
  }

  /** The UDP port: the configured one, else 4803 + (id − 1) × 3 (spec G.9). */
  public int effectivePort(int moduleId) {
    return port.orElse(4803 + (moduleId - 1) * 3);
  }
}
