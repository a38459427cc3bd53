package org.bulwark.automaton.farm;

import java.util.Objects;

/** What the farm membership reacts to. Time is not a field: every step receives {@code now}. */
public sealed interface MembershipEvent {

  /**
   * Take part: the module enters UP (spec D.1, D.4: just before {@code start_both}, when the VIP
   * traffic opens). Ignored when already taking part.
   */
  record Join() implements MembershipEvent {}

  /**
   * Stop taking part: the module leaves UP (spec D.4: right after {@code stop_both}). The node owns
   * no bucket from this step on and says so in its last pulses, so that the others take its buckets
   * at once rather than after the timeout. Ignored when not taking part.
   */
  record Leave() implements MembershipEvent {}

  /** Time passes: pulses are due, peers time out ({@link Membership#nextWakeup}). */
  record Tick() implements MembershipEvent {}

  /**
   * A pulse arrived on farm lan {@code lan} at {@code arrived} (the channel's clock reading when it
   * came off the wire). A peer's silence is counted from there, not from the step that handles it,
   * which may come later when the module's loop is busy: the loss of the last pulse then costs no
   * more than {@code mlost} / {@code slost} pulses (spec B.5). {@link Long#MAX_VALUE}: at the step.
   */
  record Received(String lan, Pulse pulse, long arrived) implements MembershipEvent {
    public Received {
      Objects.requireNonNull(lan, "lan");
      Objects.requireNonNull(pulse, "pulse");
    }

    /** A pulse handled as it arrives. */
    public Received(String lan, Pulse pulse) {
      this(lan, pulse, Long.MAX_VALUE);
    }
  }

  /**
   * The kernel of farm node {@code node} refused one of our pulses on lan {@code lan} at {@code at}
   * (the channel's clock when the refusal came off the wire): an ICMP port unreachable on the
   * socket connected to that node's address and farm port, which a kernel sends only when no socket
   * is bound there — the node's process is gone while its machine runs. A proven absence, not a
   * suspicion: the node is no longer counted as heard (docs/farm.md "Two detections"). Ignored when
   * the node was heard at or after {@code at}, is joining (it may just have come back and the
   * refusal answer a pulse sent before it bound), or is not a member we hear.
   */
  record Refused(String lan, String node, long at) implements MembershipEvent {
    public Refused {
      Objects.requireNonNull(lan, "lan");
      Objects.requireNonNull(node, "node");
    }
  }
}
