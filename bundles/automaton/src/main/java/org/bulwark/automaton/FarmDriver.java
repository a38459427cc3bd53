package org.bulwark.automaton;

import java.util.List;

/**
 * One farm or light module on one node, for the module's event loop (spec D.1). Farm membership and
 * load share come from the heartbeat bundle and do not change the automaton's state.
 */
public final class FarmDriver {

  private FarmState state;

  public FarmDriver(ServiceSettings settings) {
    this.state = FarmState.initial(settings);
  }

  public FarmState state() {
    return state;
  }

  public List<Action> command(Event.Command c, long now) {
    return run(c, now);
  }

  public List<Action> scriptDone(long token, int exitCode, long now) {
    return run(new Event.ScriptDone(token, exitCode), now);
  }

  public List<Action> tick(long now) {
    return run(new Event.Tick(), now);
  }

  private List<Action> run(Event e, long now) {
    Step<FarmState> s = FarmAutomaton.step(state, now, e);
    state = s.state();
    return s.actions();
  }
}
