package org.bulwark.api.cli;

/** Exit codes shared by every verb. Spec F documents few; these are ours where it is silent. */
public final class CliExit {
  /** Success. */
  public static final int OK = 0;

  /** The command ran and failed (a refused action, a failing check). */
  public static final int FAILED = 1;

  /** The command line is wrong: unknown verb or option, missing argument. */
  public static final int USAGE = 2;

  /** The node's administration service is not running (client side). */
  public static final int NOT_RUNNING = 3;

  private CliExit() {}
}
