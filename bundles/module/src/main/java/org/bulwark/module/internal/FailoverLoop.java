package org.bulwark.module.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.module.ModuleState;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.PeerView;
import org.bulwark.automaton.Verb;
import org.bulwark.failover.Decision;
import org.bulwark.failover.FailoverAction;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.ResourceSnapshot;

/**
 * The failover machine of one module on its event loop (spec B.19, docs/failover.md "Wiring"): the
 * snapshot each evaluation reads, the peer's resources as they came on the heartbeats, and the
 * resources this node's heartbeats carry. Confined to the loop.
 */
final class FailoverLoop {

  /** Pulses that carry the full set after each change: one lost datagram loses nothing. */
  static final int REPEAT_AFTER_CHANGE = 3;

  /** Without a change the set still travels once every this many pulses (a peer that restarted). */
  static final int REFRESH_PULSES = 20;

  private final FailoverMachine machine;
  private Map<String, String> remote = Map.of();
  private long remoteIncarnation = Long.MIN_VALUE;
  private long remoteSeq = Long.MIN_VALUE;
  private boolean stopped = true;
  private long sentVersion = -1;
  private int pulsesToCarry;
  private int pulsesSinceSet;

  FailoverLoop(FailoverMachine machine) {
    this.machine = machine;
  }

  long periodMillis() {
    return machine.rules().period().toMillis();
  }

  /**
   * One tick: nothing while the module is STOP (its checkers stop with it, a wait would only be
   * refused), and the machine forgets what it knew when the module stops; else what the machine
   * decides at this tick.
   */
  List<Decision> tick(Map<String, String> local, ModuleState state, PeerView peer, long now) {
    if (state == ModuleState.STOP) {
      if (!stopped) {
        machine.reset();
        stopped = true;
      }
      return List.of();
    }
    stopped = false;
    return machine.tick(snapshot(local, peer), now);
  }

  /** What the rules read now; {@code peer} null for a farm module (local resources only). */
  ResourceSnapshot snapshot(Map<String, String> local, PeerView peer) {
    if (peer == null) {
      return ResourceSnapshot.of(local);
    }
    // cluster() is down when no lan carries the peer's heartbeat (as ForceUptodateRule reads it)
    String cluster = peer.absent() && "no heartbeat".equals(peer.reason()) ? "down" : "up";
    return new ResourceSnapshot(local, remote, peer.present(), cluster);
  }

  /** Local resources read by a wait rule that are still {@code init} (spec B.11). */
  List<String> pendingInit(Map<String, String> local) {
    return machine.pendingInit(ResourceSnapshot.of(local));
  }

  /**
   * A heartbeat received: the peer's resources when it carries them, unless an older datagram
   * arrives after a newer one (UDP may reorder): incarnation, then sequence number decide.
   */
  void received(HeartbeatMessage message) {
    if (message.resources().isEmpty()) {
      return;
    }
    boolean newer =
        message.incarnation() > remoteIncarnation
            || (message.incarnation() == remoteIncarnation && message.seq() > remoteSeq);
    if (newer) {
      remote = new HashMap<>(message.resources());
      remoteIncarnation = message.incarnation();
      remoteSeq = message.seq();
    }
  }

  /**
   * A heartbeat about to be sent: it carries the full set of this node's resources on the pulses
   * after a change and now and then, else none (docs/failover.md "Resources on the heartbeats").
   */
  HeartbeatMessage outgoing(HeartbeatMessage message, ResourceTable table) {
    if (table.version() != sentVersion) {
      sentVersion = table.version();
      pulsesToCarry = REPEAT_AFTER_CHANGE;
    }
    boolean carry = pulsesToCarry > 0 || ++pulsesSinceSet >= REFRESH_PULSES;
    if (!carry) {
      return message;
    }
    pulsesToCarry = Math.max(0, pulsesToCarry - 1);
    pulsesSinceSet = 0;
    return message.withResources(travelling(table.current()));
  }

  /** Every resource but the connection counts, which change often and no rule needs remotely. */
  static Map<String, String> travelling(Map<String, String> local) {
    Map<String, String> out = new HashMap<>();
    local.forEach(
        (name, value) -> {
          if (!name.startsWith("connections.")) {
            out.put(name, value);
          }
        });
    return out;
  }

  /** The command a decision gives, with the rule as its origin ({@code -i label}, spec B.19). */
  static Verb verb(FailoverAction action) {
    return switch (action) {
      case STOP -> Verb.STOP;
      case WAIT -> Verb.WAIT;
      case STOPSTART -> Verb.STOPSTART;
      case RESTART -> Verb.RESTART;
      case SWAP -> Verb.SWAP;
      case WAKEUP -> Verb.WAKEUP;
      case SET_RESOURCE -> throw new IllegalArgumentException("an assignment is not a command");
    };
  }

  /** Internal rules' decisions do not count for maxloop (docs/failover.md "Actions"). */
  static Origin origin(Decision d) {
    return d.internal() ? Origin.internalRule(d.rule()) : Origin.rule(d.rule());
  }
}
