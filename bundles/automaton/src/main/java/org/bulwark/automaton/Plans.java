package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Action.ReplicationOp;
import org.bulwark.automaton.PlanStep.Address;
import org.bulwark.automaton.PlanStep.Mark;
import org.bulwark.automaton.PlanStep.Marker;
import org.bulwark.automaton.PlanStep.Replicate;
import org.bulwark.automaton.PlanStep.Script;
import org.bulwark.automaton.PlanStep.Transition;

/**
 * The script execution automaton of spec E.4, one method per arrow of the figure. Stop scripts run
 * in the old state before {@code transition}, start scripts in the new state after it. Placement of
 * the VIP and replication steps follows the keepalived habit (STYLE.md): addresses after the
 * application stopped, before it starts.
 *
 * <pre>
 * STOP  -> WAIT    transition; prestart
 * WAIT  -> ALONE   transition; start_both; start_prim; start_sec       (farm: WAIT -> UP, same)
 * WAIT  -> PRIM    transition; start_both; start_prim
 * WAIT  -> SECOND  transition; start_both; start_second; start_sec
 * ALONE -> PRIM    stop_sec; transition
 * PRIM  -> ALONE   transition; start_sec
 * SECOND-> ALONE   stop_second; transition; start_prim
 * ALONE -> SECOND  stop_prim; transition; start_second                  (split brain exit)
 * PRIM  -> SECOND  stop_prim; transition; start_second; start_sec       (swap; nosync: the
 *                  secondary started with policy nosync)
 * SECOND-> PRIM    stop_sec; stop_second; transition; start_prim        (swap)
 * ALONE/UP -> WAIT stop_sec; stop_prim; stop_both; transition
 * PRIM  -> WAIT    stop_prim; stop_both; transition
 * SECOND-> WAIT    stop_sec; stop_second; stop_both; transition
 * WAIT  -> STOP    stop_sec force; stop_prim force; stop_second force; stop_both force;
 *                  poststop; transition
 * restart ALONE/UP stop_sec; stop_prim; stop_both; start_both; start_prim; start_sec
 * restart PRIM     stop_prim; stop_both; start_both; start_prim
 * restart SECOND   stop_sec; stop_second; stop_both; start_both; start_second; start_sec
 *                  (a restart naming services: each with -Services "S1, S2", spec B.10)
 * </pre>
 */
final class Plans {

  private Plans() {}

  /** STOP -> WAIT on start (prestart stops a stray application, spec E.1). */
  static List<PlanStep> start() {
    return List.of(
        new Transition(STOP, WAIT, Readiness.TRANSIENT, "start"),
        new Script("prestart", false, STOP, WAIT, "start"));
  }

  /** Leaving a running state for WAIT (stop, stopwait, stopstart). */
  static List<PlanStep> toWait(ModuleState from, String action, boolean mirror) {
    List<PlanStep> p = new ArrayList<>();
    for (String s : stopScripts(from)) {
      p.add(new Script(s, false, from, WAIT, action));
      if (s.equals("stop_prim") && mirror) {
        p.add(new Address(false));
        p.add(new Replicate(ReplicationOp.STOP_PRIMARY, ""));
      }
    }
    if (from == UP) {
      p.add(new Address(false));
    }
    if (from == SECOND) {
      // Whether this copy is up to date is decided while it still follows the primary: a primary
      // that stops writing after we stop following would leave us behind (found by the simulation)
      p.add(new Mark(Marker.LEAVE_SECOND));
      p.add(new Replicate(ReplicationOp.STOP_SECONDARY, ""));
    }
    p.add(new Transition(from, WAIT, Readiness.TRANSIENT, action));
    return p;
  }

  /** WAIT -> STOP: every stop script forced, then poststop (spec E.4). */
  static List<PlanStep> toStop(String action) {
    List<PlanStep> p = new ArrayList<>();
    for (String s : List.of("stop_sec", "stop_prim", "stop_second", "stop_both")) {
      p.add(new Script(s, true, WAIT, STOP, action));
    }
    p.add(new Script("poststop", false, WAIT, STOP, action));
    p.add(new Transition(WAIT, STOP, Readiness.NOT_READY, action));
    return p;
  }

  /**
   * forcestop: only the forced stop scripts, but the VIP, replication and data bookkeeping of the
   * role being left still happen (spec F.3).
   */
  static List<PlanStep> forceStop(ModuleState from, boolean mirror) {
    List<PlanStep> p = new ArrayList<>();
    if (from == ALONE || from == PRIM || from == UP) {
      p.add(new Address(false));
    }
    if (mirror && (from == ALONE || from == PRIM)) {
      // forced: processes still holding files are cut off at once
      p.add(new Replicate(ReplicationOp.STOP_PRIMARY, "force"));
    }
    if (from == SECOND) {
      p.add(new Mark(Marker.LEAVE_SECOND)); // decided while still following (see toWait)
      p.add(new Replicate(ReplicationOp.STOP_SECONDARY, ""));
    }
    p.addAll(toStop("stop"));
    return p;
  }

  /** From any state to STOP (spec C.2: local stop from any state: WAIT then STOP). */
  static List<PlanStep> stop(ModuleState from, String action, boolean mirror) {
    List<PlanStep> p = new ArrayList<>();
    if (from != WAIT && from != STOP) {
      p.addAll(toWait(from, action, mirror));
    }
    p.addAll(toStop(action));
    return p;
  }

  /** WAIT -> ALONE, PRIM, SECOND or UP. */
  static List<PlanStep> fromWait(ModuleState to, String replicationArg) {
    List<PlanStep> p = new ArrayList<>();
    // Data bookkeeping before the label changes, so that the heartbeat announcing the new state
    // carries the new generation.
    if (to == ALONE || to == PRIM) {
      p.add(new Mark(Marker.BECOME_PRIMARY));
    } else if (to == SECOND) {
      p.add(new Mark(Marker.BECOME_SECONDARY));
    }
    p.add(new Transition(WAIT, to, Readiness.TRANSIENT, "start"));
    if (to == ALONE || to == PRIM) {
      p.add(new Replicate(ReplicationOp.START_PRIMARY, replicationArg));
      p.add(new Address(true));
    } else if (to == SECOND) {
      p.add(new Replicate(ReplicationOp.START_SECONDARY, replicationArg));
    } else if (to == UP) {
      p.add(new Address(true));
    }
    for (String s : startScripts(to)) {
      p.add(new Script(s, false, WAIT, to, "start"));
    }
    return p;
  }

  /** ALONE -> PRIM: the peer started as secondary (spec C.2). */
  static List<PlanStep> aloneToPrim() {
    return List.of(
        new Script("stop_sec", false, ALONE, PRIM, "start"),
        new Transition(ALONE, PRIM, Readiness.TRANSIENT, "start"),
        new Replicate(ReplicationOp.ATTACH_SECONDARY, ""));
  }

  /** PRIM -> ALONE: the secondary stopped or is no longer heard (spec C.2). */
  static List<PlanStep> primToAlone() {
    // The label changes when the decision is taken (the secondary is gone): replication is
    // detached right after, while the transition script runs.
    return List.of(
        new Mark(Marker.CONTINUE_ALONE),
        new Transition(PRIM, ALONE, Readiness.TRANSIENT, "start"),
        new Replicate(ReplicationOp.DETACH_SECONDARY, ""),
        new Script("start_sec", false, PRIM, ALONE, "start"));
  }

  /** SECOND -> ALONE: failover (spec C.2, C.9). */
  static List<PlanStep> secondToAlone() {
    return List.of(
        new Script("stop_second", false, SECOND, ALONE, "start"),
        new Replicate(ReplicationOp.STOP_SECONDARY, ""),
        new Mark(Marker.BECOME_PRIMARY),
        new Transition(SECOND, ALONE, Readiness.TRANSIENT, "start"),
        new Replicate(ReplicationOp.START_PRIMARY, ""),
        new Address(true),
        new Script("start_prim", false, SECOND, ALONE, "start"));
  }

  /**
   * ALONE or PRIM -> SECOND: leaving the primary role to the peer, after a split brain (spec C.8,
   * the ALONE -> SECOND arrow of E.4) or in a swap (E.4 swap, with start_sec); {@code nosync}: a
   * {@code swap nosync}, the replication follows without comparing the trees (spec C.10).
   */
  static List<PlanStep> primaryToSecond(ModuleState from, boolean swap, boolean nosync) {
    List<PlanStep> p = new ArrayList<>();
    p.add(new Script("stop_prim", false, from, SECOND, "start"));
    p.add(new Address(false));
    p.add(new Replicate(ReplicationOp.STOP_PRIMARY, ""));
    p.add(new Mark(swap ? Marker.BECOME_SECONDARY_SWAP : Marker.BECOME_SECONDARY));
    p.add(new Transition(from, SECOND, Readiness.TRANSIENT, "start"));
    p.add(new Replicate(ReplicationOp.START_SECONDARY, swap && nosync ? "nosync" : ""));
    p.add(new Script("start_second", false, from, SECOND, "start"));
    if (swap) {
      p.add(new Script("start_sec", false, from, SECOND, "start"));
    }
    return p;
  }

  /** SECOND -> PRIM in a swap (spec E.4). */
  static List<PlanStep> secondToPrim() {
    return List.of(
        new Script("stop_sec", false, SECOND, PRIM, "start"),
        new Script("stop_second", false, SECOND, PRIM, "start"),
        new Replicate(ReplicationOp.STOP_SECONDARY, ""),
        new Mark(Marker.BECOME_PRIMARY),
        new Transition(SECOND, PRIM, Readiness.TRANSIENT, "start"),
        new Replicate(ReplicationOp.START_PRIMARY, ""),
        new Address(true),
        new Script("start_prim", false, SECOND, PRIM, "start"));
  }

  /**
   * restart: stop then start scripts of the role, no state change (spec C.2, E.4); each script gets
   * {@code -Services "S1, S2"} when the restart names {@code services} (errd's {@code
   * restart_services}, spec B.10, E.2).
   */
  static List<PlanStep> restart(ModuleState role, List<String> services) {
    List<PlanStep> p = new ArrayList<>();
    for (String s : stopScripts(role)) {
      p.add(new Script(s, false, role, role, "stopstart", services));
    }
    for (String s : startScripts(role)) {
      p.add(new Script(s, false, role, role, "stopstart", services));
    }
    return p;
  }

  static List<String> stopScripts(ModuleState s) {
    return switch (s) {
      case ALONE, UP -> List.of("stop_sec", "stop_prim", "stop_both");
      case PRIM -> List.of("stop_prim", "stop_both");
      case SECOND -> List.of("stop_sec", "stop_second", "stop_both");
      default -> List.of();
    };
  }

  static List<String> startScripts(ModuleState s) {
    return switch (s) {
      case ALONE, UP -> List.of("start_both", "start_prim", "start_sec");
      case PRIM -> List.of("start_both", "start_prim");
      case SECOND -> List.of("start_both", "start_second", "start_sec");
      default -> List.of();
    };
  }
}
