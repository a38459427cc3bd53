package org.bulwark.automaton;

import java.util.List;

/**
 * The result of one automaton step: the new state and the ordered side effects.
 *
 * @param <S> the state type
 */
public record Step<S>(S state, List<Action> actions) {
  public Step {
    actions = List.copyOf(actions);
  }
}
