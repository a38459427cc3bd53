package org.bulwark.automaton;

import java.util.List;
import org.bulwark.api.module.ModuleState;

/**
 * A transition in progress: the steps still to run, the script being waited for, and what follows.
 *
 * @param steps steps not yet started
 * @param awaiting token of the running script, 0 when none
 * @param target the state reached when all steps are done
 * @param thenStart start again automatically at the end (stopstart, spec F.3)
 */
record Plan(List<PlanStep> steps, long awaiting, ModuleState target, boolean thenStart) {

  Plan {
    steps = List.copyOf(steps);
  }

  Plan next(long token) {
    return new Plan(steps.subList(1, steps.size()), token, target, thenStart);
  }

  Plan resumed() {
    return new Plan(steps, 0, target, thenStart);
  }
}
