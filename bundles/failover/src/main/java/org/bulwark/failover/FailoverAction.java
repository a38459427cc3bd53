package org.bulwark.failover;

import java.util.Locale;

/**
 * What a failover rule does (spec B.19, B.11). The module actions are the control commands given
 * with {@code -i <rule>} (spec B.19 "Actions"), so that maxloop applies to them.
 */
public enum FailoverAction {
  /** {@code stop()}: stop the module; a Ready primary fails over (spec C.13). */
  STOP(6),
  /** {@code wait()}: stop and block in WAIT NotReady until wakeup (spec B.11). */
  WAIT(5),
  /** {@code stopstart()}: stop then start again; a primary fails over. */
  STOPSTART(4),
  /** {@code restart()}: stop and start the application scripts, same role. */
  RESTART(3),
  /** {@code swap()}: exchange PRIM and SECOND (spec C.10). */
  SWAP(2),
  /** The {@code wakeup} of rule {@code Implicit_wakeup}: no wait rule holds any more. */
  WAKEUP(1),
  /** A resource assignment ({@code rfs.uptodate=up}, spec C.6); not a module command. */
  SET_RESOURCE(0);

  private final int weight;

  FailoverAction(int weight) {
    this.weight = weight;
  }

  /**
   * Of two module actions whose rules hold in the same evaluation, the heavier one is applied:
   * stop, then wait, stopstart, restart, swap, wakeup (Bulwark's choice; the guide does not say).
   * wait outweighs stopstart because a module blocked in WAIT would only be started again to be
   * blocked once more.
   */
  public int weight() {
    return weight;
  }

  /** The word of {@code Action <word> from failover rule <label>}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the module's maxloop counter counts it: the actions are given with {@code -i <rule>},
   * and a command with an identity counts (spec F.3 "-i … increments maxloop"; B.11 names restart,
   * stopstart and wait). The wakeup and an assignment are not error-triggered actions.
   */
  public boolean countsForLoop() {
    return this != WAKEUP && this != SET_RESOURCE;
  }

  /** Whether it is a module control command (every action except a resource assignment). */
  public boolean isCommand() {
    return this != SET_RESOURCE;
  }
}
