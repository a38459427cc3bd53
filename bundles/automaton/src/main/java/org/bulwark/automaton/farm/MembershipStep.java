package org.bulwark.automaton.farm;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.automaton.Action;

/**
 * The result of one membership step.
 *
 * @param state the new state
 * @param pulses to send on every farm lan to every other farm node, in order
 * @param actions module log lines and load-share resources ({@link Action.Log}, {@link
 *     Action.SetResource}), in order
 * @param change the new status when the members changed: reprogram the filter with {@link
 *     FarmStatus#localBuckets}
 */
public record MembershipStep(
    Membership state, List<Pulse> pulses, List<Action> actions, Optional<FarmStatus> change) {

  public MembershipStep {
    pulses = List.copyOf(pulses);
    actions = List.copyOf(actions);
  }
}
