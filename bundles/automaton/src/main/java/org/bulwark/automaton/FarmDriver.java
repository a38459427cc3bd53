package org.bulwark.automaton;

import java.util.List;
import org.bulwark.api.module.LocalState;

/**
 * One farm or light module on one node, for the module's event loop (spec D.1). Farm membership and
 * load share come from the heartbeat bundle and do not change the automaton's state.
 */
public final class FarmDriver implements ModuleDriver {

  /** Farm and light modules tick now and then to keep the maxloop window current. */
  static final long TICK_MILLIS = 5_000;

  private FarmState state;

  public FarmDriver(ServiceSettings settings) {
    this.state = FarmState.initial(settings);
  }

  public FarmState state() {
    return state;
  }

  @Override
  public LocalState local() {
    return state.local();
  }

  @Override
  public long nextWakeup(long now) {
    return now + TICK_MILLIS;
  }

  @Override
  public List<Action> command(Event.Command c, long now) {
    return run(c, now);
  }

  @Override
  public List<Action> scriptDone(long token, int exitCode, long now) {
    return run(new Event.ScriptDone(token, exitCode), now);
  }

  @Override
  public List<Action> tick(long now) {
    return run(new Event.Tick(), now);
  }

  @Override
  public List<Action> initPending(boolean pending, long now) {
    return run(new Event.InitPending(pending), now);
  }

  private List<Action> run(Event e, long now) {
    Step<FarmState> s = FarmAutomaton.step(state, now, e);
    state = s.state();
    return s.actions();
  }
}
