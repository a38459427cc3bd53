package org.bulwark.automaton;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bulwark.api.module.LocalState;

/**
 * The content of one heartbeat (spec B.4; DESIGN.md: every protocol message carries the sender
 * node, module and an incarnation). The wire format belongs to the heartbeat bundle.
 *
 * @param module the module name
 * @param node the sender node
 * @param incarnation increases at every start of the sender's module runtime; older ones are stale
 * @param seq increases at every message of one incarnation; older or repeated ones are stale
 * @param state the sender's local state
 * @param data the sender's data freshness
 * @param primIntent started with prim/primforce, not yet primary
 * @param swapRequested asks its PRIM to swap
 * @param swapping a former PRIM handing over in a swap
 * @param stopping on its way to STOP
 * @param swapNosync the swap it asks or hands over in is a {@code swap nosync} (spec C.10)
 * @param resources the sender's resources for the {@code remote.} references of its peer's failover
 *     rules (spec B.19), a full set; empty on the pulses that carry none (the receiver keeps the
 *     last set it got)
 */
public record HeartbeatMessage(
    String module,
    String node,
    long incarnation,
    long seq,
    LocalState state,
    DataFreshness data,
    boolean primIntent,
    boolean swapRequested,
    boolean swapping,
    boolean stopping,
    boolean swapNosync,
    Map<String, String> resources) {

  /** A heartbeat that carries no resources. */
  public HeartbeatMessage(
      String module,
      String node,
      long incarnation,
      long seq,
      LocalState state,
      DataFreshness data,
      boolean primIntent,
      boolean swapRequested,
      boolean swapping,
      boolean stopping) {
    this(
        module,
        node,
        incarnation,
        seq,
        state,
        data,
        primIntent,
        swapRequested,
        swapping,
        stopping,
        false,
        Map.of());
  }

  public HeartbeatMessage {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(data, "data");
    resources = Collections.unmodifiableMap(new TreeMap<>(resources));
  }

  /** The same heartbeat carrying {@code set}. */
  public HeartbeatMessage withResources(Map<String, String> set) {
    return new HeartbeatMessage(
        module,
        node,
        incarnation,
        seq,
        state,
        data,
        primIntent,
        swapRequested,
        swapping,
        stopping,
        swapNosync,
        set);
  }
}
