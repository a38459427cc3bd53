package org.bulwark.automaton;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;

/** One step of a transition plan (spec E.4); plans are built by {@link Plans}. */
sealed interface PlanStep {

  /**
   * Run a script with {@code from to action} ({@code force from to action} when forced), then
   * {@code -Services "S1, S2"} when {@code services} names some: the scripts of a restart of errd's
   * {@code restart_services} (spec B.10, E.2).
   */
  record Script(
      String name,
      boolean force,
      ModuleState from,
      ModuleState to,
      String action,
      List<String> services)
      implements PlanStep {
    public Script {
      services = List.copyOf(services);
    }

    Script(String name, boolean force, ModuleState from, ModuleState to, String action) {
      this(name, force, from, to, action, List.of());
    }

    /** The script's arguments (spec E.2). */
    List<String> args() {
      List<String> args = new ArrayList<>();
      if (force) {
        args.add("force");
      }
      args.addAll(List.of(from.name(), to.name(), action));
      if (!services.isEmpty()) {
        args.add("-Services");
        args.add(String.join(", ", services));
      }
      return args;
    }
  }

  /**
   * The state label changes to {@code to level} and the {@code transition} script runs with {@code
   * from to action}: stop scripts before it run in the old state, start scripts after it in the
   * new.
   */
  record Transition(ModuleState from, ModuleState to, Readiness level, String action)
      implements PlanStep {}

  /** An immediate side effect. */
  record Emit(Action action) implements PlanStep {}

  /** The virtual IPs set or removed (spec B.6); the plan goes on once the runtime reports it. */
  record Address(boolean set) implements PlanStep {}

  /** A replication operation; the plan goes on once the runtime reports it done. */
  record Replicate(Action.ReplicationOp op, String argument) implements PlanStep {}

  /**
   * Ask the witnesses (spec C.8); the plan goes on only if one answered, else the node waits (see
   * {@link MirrorMachine#answered}).
   */
  record Witness() implements PlanStep {}

  /** Data-freshness bookkeeping at this point of the plan (mirror only). */
  record Mark(Marker marker) implements PlanStep {}

  /** Bookkeeping points. */
  enum Marker {
    /** Entering ALONE/PRIM from a non-primary state: new generation, up to date (spec C.4). */
    BECOME_PRIMARY,
    /** PRIM -> ALONE: a new generation, same tenure. */
    CONTINUE_ALONE,
    /** Entering SECOND: data not up to date until reintegration ends (spec C.2, C.4). */
    BECOME_SECONDARY,
    /** Entering SECOND in a swap: the data was in sync at the swap (spec C.10). */
    BECOME_SECONDARY_SWAP,
    /** Leaving SECOND for WAIT/STOP: the primary continues without us (spec C.5). */
    LEAVE_SECOND
  }
}
