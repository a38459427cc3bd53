package org.bulwark.automaton;

import org.bulwark.api.module.LocalState;

/** Immutable state of a farm or light module (spec D.1). Built by {@link FarmAutomaton}. */
public final class FarmState {

  final Core core;

  FarmState(Core core) {
    this.core = core;
  }

  /** A stopped module with these settings. */
  public static FarmState initial(ServiceSettings settings) {
    return new FarmState(Core.initial(settings));
  }

  public LocalState local() {
    return core.local();
  }

  /** A transition (scripts) is running. */
  public boolean inTransition() {
    return core.plan() != null;
  }

  public Block block() {
    return core.block();
  }

  public int loopCount() {
    return core.loopCount();
  }

  public ServiceSettings settings() {
    return core.settings();
  }

  @Override
  public String toString() {
    return local() + (inTransition() ? " (transition)" : "") + " block=" + block();
  }
}
