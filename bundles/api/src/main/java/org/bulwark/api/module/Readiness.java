package org.bulwark.api.module;

/**
 * The level of a state (spec C.1: since 8.2 the colours red/magenta/green are named NotReady,
 * Transient and Ready in logs and resources). {@code Unknown} goes with {@link
 * ModuleState#UNKNOWN}.
 */
public enum Readiness {
  NOT_READY("NotReady"),
  TRANSIENT("Transient"),
  READY("Ready"),
  UNKNOWN("Unknown");

  private final String label;

  Readiness(String label) {
    this.label = label;
  }

  /** The spelling used in logs and resources ({@code Local state ALONE Ready}). */
  public String label() {
    return label;
  }
}
