package org.bulwark.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

  /** Whether the lans list their nodes (the syntax of before 7.2, spec B.0, B.5). */
  public boolean legacy() {
    return !lans.isEmpty() && lans.stream().allMatch(l -> l.name().isEmpty());
  }

  /**
   * The lans of the syntax of before 7.2 as cluster lans, so that the membership reads both
   * syntaxes alike: the {@code k}-th {@code <lan>} is lan {@code farm_lan_k} (there was no cluster
   * lan to name it), with its {@code <node>}s in file order. A node keeps its {@code name}; an
   * unnamed one takes the name cluster.xml gives its address, when cluster.xml knows it, else its
   * address itself (brackets of an IPv6 literal removed). Empty in the 7.2 syntax.
   */
  public List<org.bulwark.api.config.Lan> legacyLans(Optional<ClusterConfig> cluster) {
    if (!legacy()) {
      return List.of();
    }
    List<org.bulwark.api.config.Lan> out = new ArrayList<>();
    for (int k = 0; k < lans.size(); k++) {
      List<Node> nodes = new ArrayList<>();
      for (Node n : lans.get(k).legacyNodes()) {
        String name = n.name().isEmpty() ? nameOf(n.addr(), cluster) : n.name();
        nodes.add(new Node(name, n.addr(), n.laddr()));
      }
      out.add(new org.bulwark.api.config.Lan("farm_lan_" + (k + 1), false, nodes));
    }
    return out;
  }

  private static String nameOf(String addr, Optional<ClusterConfig> cluster) {
    String host = Node.host(addr);
    if (cluster.isPresent()) {
      for (org.bulwark.api.config.Lan lan : cluster.get().lans()) {
        for (Node n : lan.nodes()) {
          if (Node.host(n.addr()).equals(host)) {
            return n.name();
          }
        }
      }
    }
    return host;
  }

  /** The UDP port: the configured one, else 4803 + (id − 1) × 3 (spec G.9). */
  public int effectivePort(int moduleId) {
    return port.orElse(4803 + (moduleId - 1) * 3);
  }
}
