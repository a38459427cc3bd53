package org.bulwark.api.module;

/**
 * The major states of a module (spec C.1 mirror, D.1 farm and light). {@code UNKNOWN} only
 * describes a remote node that is not heard (log {@code Remote state UNKNOWN Unknown}, spec B.4).
 */
public enum ModuleState {
  STOP(0),
  WAIT(1),
  ALONE(2),
  UP(2),
  PRIM(3),
  SECOND(4),
  UNKNOWN(-1);

  private final int exitCode;

  ModuleState(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The exit code of {@code safekit state -m AM -lq} (spec C.1, F.4); -1 for UNKNOWN. */
  public int exitCode() {
    return exitCode;
  }

  /** Whether the application runs here as the primary: ALONE, PRIM (mirror) or UP (farm). */
  public boolean isPrimary() {
    return this == ALONE || this == PRIM || this == UP;
  }
}
