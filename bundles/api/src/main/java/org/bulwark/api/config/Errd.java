package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code <errd>} element (spec B.10). Whole subtree dynamic.
 *
 * @param polltimer period of the process scan (default 30 s)
 * @param procs monitored processes, in file order
 */
public record Errd(Duration polltimer, List<Proc> procs) {

  public Errd {
    Objects.requireNonNull(polltimer);
    procs = List.copyOf(procs);
  }

  /** The built-in {@code proc@action}s; anything else is a handler path. */
  public static final List<String> ACTIONS = List.of("restart", "stopstart", "stop", "noaction");

  /**
   * One {@code <proc>}.
   *
   * @param name command or service name; the resource is {@code proc.<name>}
   * @param service whether {@code name} is a service/unit ({@code service="yes"})
   * @param nameregex regex on the command name, when given
   * @param argregex regex on the argument list, when given
   * @param atleast min instances, -1 disables (default 1)
   * @param atmax max instances, -1 disables (default -1)
   * @param action restart, stopstart (default), stop, noaction, or a handler path
   * @param restartServices services restarted with {@code action="restart"}, in order
   * @param procClass when monitoring is active: prim, both, pre, second, sec or a user class
   * @param startAfter first check delayed by (n − 1) × polltimer (default 0)
   */
  public record Proc(
      String name,
      boolean service,
      Optional<String> nameregex,
      Optional<String> argregex,
      int atleast,
      int atmax,
      String action,
      List<String> restartServices,
      String procClass,
      int startAfter) {
    public Proc {
      Objects.requireNonNull(nameregex);
      Objects.requireNonNull(argregex);
      restartServices = List.copyOf(restartServices);
    }

    /** Whether the action is a handler program rather than a built-in action. */
    public boolean isHandler() {
      return !ACTIONS.contains(action);
    }

    /** The resource this process sets (spec B.20). */
    public String resource() {
      return "proc." + name;
    }
  }
}
