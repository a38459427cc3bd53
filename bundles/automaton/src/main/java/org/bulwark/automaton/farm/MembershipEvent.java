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
}
