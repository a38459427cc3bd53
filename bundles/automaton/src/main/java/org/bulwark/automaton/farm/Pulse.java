package org.bulwark.automaton.farm;

import java.util.Objects;
import org.bulwark.api.farm.FarmView;

/**
 * One membership pulse (spec D.2): sent every {@code pulse} on every farm lan to every other farm
 * node. Every pulse carries the sender's node, module and incarnation (DESIGN.md); older ones are
 * dropped first. The wire format belongs to the heartbeat bundle.
 *
 * @param module the module
 * @param node the sender
 * @param incarnation the sender's life: increases at every restart and every join
 * @param seq increases at every pulse of one incarnation
 * @param role what the sender is: {@link Role#OUT} says it leaves
 * @param view the sender's installed view; a leader's is authoritative for its followers
 */
public record Pulse(
    String module, String node, long incarnation, long seq, Role role, FarmView view) {

  public Pulse {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(view, "view");
  }
}
