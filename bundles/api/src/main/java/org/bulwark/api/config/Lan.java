package org.bulwark.api.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One network of the cluster (spec A.2 {@code <lan>}).
 *
 * @param name logical name, re-used by modules ({@code <heartbeat name>}, {@code <farm><lan>})
 * @param command whether this lan carries distributed commands ({@code command="on"})
 * @param nodes the nodes on this lan, in file order
 */
public record Lan(String name, boolean command, List<Node> nodes) {

  public Lan {
    Objects.requireNonNull(name, "name");
    nodes = List.copyOf(nodes);
  }

  /** The node of that name on this lan. */
  public Optional<Node> node(String nodeName) {
    return nodes.stream().filter(node -> node.name().equals(nodeName)).findFirst();
  }
}
