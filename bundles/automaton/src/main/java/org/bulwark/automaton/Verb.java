package org.bulwark.automaton;

import java.util.Locale;

/**
 * The module control verbs the automata understand (spec F.3, plus the failover-machine actions of
 * spec B.19). {@link #WAIT} and {@link #WAKEUP} come from checkers and failover rules.
 */
public enum Verb {
  START,
  STOP,
  FORCESTOP,
  SHUTDOWN,
  RESTART,
  STOPSTART,
  PRIM,
  SECOND,
  PRIMFORCE,
  SECONDFORCE,
  SWAP,
  FAILOVER_ON,
  FAILOVER_OFF,
  WAIT,
  WAKEUP,
  /** {@code safekit incloop -i id}: count one error for maxloop without acting (spec B.3, E.5). */
  INCLOOP,
  /** {@code safekit resetloop}: zero the maxloop counter. */
  RESETLOOP,
  /** {@code safekit checkloop}: refused when the maxloop limit is reached within the interval. */
  CHECKLOOP;

  /** The word in {@code Action <word> called by …}: {@code start}, {@code primforce} … */
  public String word() {
    return switch (this) {
      case FAILOVER_ON, FAILOVER_OFF -> "failover";
      default -> name().toLowerCase(Locale.ROOT);
    };
  }

  /** Verbs that only exist for mirror modules (spec F.3). */
  public boolean mirrorOnly() {
    return switch (this) {
      case PRIM, SECOND, PRIMFORCE, SECONDFORCE, SWAP, FAILOVER_ON, FAILOVER_OFF -> true;
      default -> false;
    };
  }

  /** Verbs that stop the module whatever is running (they preempt a transition). */
  public boolean stops() {
    return this == STOP || this == FORCESTOP || this == SHUTDOWN;
  }
}
