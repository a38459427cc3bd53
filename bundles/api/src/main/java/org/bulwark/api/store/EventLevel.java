package org.bulwark.api.store;

/**
 * Levels of the module log (spec G.6): U user action, E event or state change, C critical, S script
 * run appear in the main log; I and D only in the verbose log.
 */
public enum EventLevel {
  U,
  E,
  C,
  S,
  W,
  I,
  D;

  /** Whether rows of this level belong in the main (non-verbose) log. */
  public boolean inMainLog() {
    return this != I && this != D;
  }
}
