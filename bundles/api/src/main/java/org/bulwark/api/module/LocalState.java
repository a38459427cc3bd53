package org.bulwark.api.module;

import java.util.Objects;

/**
 * A state with its level, e.g. {@code PRIM Ready}: what a node reports about itself ({@code Local
 * state …}) and what it knows of its peer ({@code Remote state …}), spec C.1–C.2.
 *
 * @param state the major state
 * @param readiness its level
 */
public record LocalState(ModuleState state, Readiness readiness) {

  public static final LocalState STOPPED = new LocalState(ModuleState.STOP, Readiness.NOT_READY);
  public static final LocalState UNKNOWN = new LocalState(ModuleState.UNKNOWN, Readiness.UNKNOWN);

  public LocalState {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(readiness, "readiness");
  }

  public static LocalState of(ModuleState state, Readiness readiness) {
    return new LocalState(state, readiness);
  }

  /**
   * Whether the health-check URL answers OK (spec G.10): PRIM or ALONE Ready for a mirror, UP Ready
   * for a farm.
   */
  public boolean isHealthy() {
    return readiness == Readiness.READY && state.isPrimary();
  }

  public boolean is(ModuleState s, Readiness r) {
    return state == s && readiness == r;
  }

  /** {@code PRIM Ready}, the spelling of the module log. */
  @Override
  public String toString() {
    return state + " " + readiness.label();
  }
}
