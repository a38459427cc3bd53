package org.bulwark.automaton.farm;

import org.bulwark.api.farm.FarmStatus;

/**
 * The farm membership of one module, for the module's event loop: holds the current {@link
 * Membership} and steps it. The runtime sends every returned pulse with the farm channel on every
 * lan, runs the actions like the automaton's, reprograms the filter on a change, and calls {@link
 * #tick} at {@link #nextWakeup}. Owned by that one loop; not thread-safe by design.
 */
public final class MembershipDriver {

  private Membership state;

  public MembershipDriver(FarmConfig config, long incarnation) {
    this.state = Membership.initial(config, incarnation);
  }

  public Membership state() {
    return state;
  }

  /** The current view and the buckets of every member, per group. */
  public FarmStatus status() {
    return state.status();
  }

  public long nextWakeup() {
    return state.nextWakeup();
  }

  /** The module enters UP (before {@code start_both}, spec D.4). */
  public MembershipStep join(long now) {
    return run(new MembershipEvent.Join(), now);
  }

  /** The module leaves UP (after {@code stop_both}, spec D.4). */
  public MembershipStep leave(long now) {
    return run(new MembershipEvent.Leave(), now);
  }

  public MembershipStep tick(long now) {
    return run(new MembershipEvent.Tick(), now);
  }

  /** A pulse from the farm channel, on lan {@code lan}. */
  public MembershipStep received(String lan, Pulse pulse, long now) {
    return run(new MembershipEvent.Received(lan, pulse), now);
  }

  /**
   * A pulse from the farm channel, on lan {@code lan}, that arrived at {@code arrived} and is
   * handled at {@code now}: the peer was heard at {@code arrived}.
   */
  public MembershipStep received(String lan, Pulse pulse, long arrived, long now) {
    return run(new MembershipEvent.Received(lan, pulse, arrived), now);
  }

  /**
   * The kernel of {@code node} refused our pulse on lan {@code lan} (ICMP port unreachable) at
   * {@code at}, handled at {@code now}: its process is gone ({@link MembershipEvent.Refused}).
   */
  public MembershipStep refused(String lan, String node, long at, long now) {
    return run(new MembershipEvent.Refused(lan, node, at), now);
  }

  private MembershipStep run(MembershipEvent e, long now) {
    MembershipStep s = Membership.step(state, now, e);
    state = s.state();
    return s;
  }
}
