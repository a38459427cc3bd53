package org.bulwark.automaton;

/**
 * The mirror automaton (spec C) as a pure step function {@code (state, now, event) -> (state,
 * actions)}. The transition tables sit beside the code: the script sequences of each arrow in
 * {@link Plans} (spec E.4), the decisions in stable states in {@link MirrorRules}, the commands in
 * {@link Commands} (shared with the farm) and {@link MirrorCommands}; docs/design-automaton.md
 * gathers them.
 *
 * <p>A transition is a plan of ordered steps. Each script is one {@link Action.RunScript}; the plan
 * waits for its {@link Event.ScriptDone} before the next step. While a plan runs, peer views are
 * recorded and decided on when it ends; stop, forcestop and shutdown preempt it at the next script
 * end; other commands are refused with a message naming the transition.
 */
public final class MirrorAutomaton {

  private MirrorAutomaton() {}

  /** One step: the new state and the ordered actions. */
  public static Step<MirrorState> step(MirrorState state, long now, Event event) {
    MirrorMachine m = new MirrorMachine(state, now);
    m.handle(event);
    return new Step<>(m.snapshot(), m.out);
  }
}
