package org.bulwark.automaton;

import java.util.List;
import java.util.Objects;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.store.EventLevel;

/**
 * A side effect decided by an automaton. The runtime executes a step's actions in order. A {@link
 * RunScript} is started and its end fed back as {@link Event.ScriptDone}; the automaton emits
 * nothing more of the same transition before that answer, so scripts never overlap and the order of
 * spec E.4 holds without the runtime knowing it.
 */
public sealed interface Action {

  /**
   * Run a module script (spec E.1–E.4) with arguments {@code current next action}, or {@code force
   * current next action} for the forced stop (spec E.2), followed by {@code -Services "S1, S2"} in
   * a restart of errd's {@code restart_services} (spec B.10). A missing script is skipped by the
   * runtime, which still answers with {@link Event.ScriptDone}.
   */
  record RunScript(String name, List<String> args, long token) implements Action {
    public RunScript {
      Objects.requireNonNull(name, "name");
      args = List.copyOf(args);
    }
  }

  /** {@code forcestop}: kill the scripts that are running now (their process groups). */
  record KillScripts() implements Action {}

  /** One line of the module log (spec G.6), in the spec's wording. */
  record Log(EventLevel level, String component, String message) implements Action {}

  /** Set a resource (spec B.20), e.g. {@code heartbeat.0} to {@code down} by {@code heart}. */
  record SetResource(String name, String value, String by) implements Action {}

  /** The local state changed: persist it, publish it (heartbeat, ready.txt, REST, timeline). */
  record StateChanged(LocalState state) implements Action {}

  /**
   * Set ({@code set}) or remove the module's virtual IPs (spec B.6). Awaited like a script: the
   * runtime feeds its end back as {@link Event.ScriptDone} with {@code token}, so the application
   * starts once its addresses are there, and the replication stops once they are gone. A VIP that
   * cannot be set makes the runtime stop the module (exit code non-zero, the stop taken during the
   * transition), as a replicated directory that cannot be served does.
   */
  record Vip(boolean set, long token) implements Action {}

  /**
   * What replication (rfs, spec B.7/C.4) must do. Like a script, it is awaited: the runtime feeds
   * its end back as {@link Event.ScriptDone} with {@code token} (exit code 0 when done), so the
   * application never starts on a directory that is not served yet, and a long unmount never blocks
   * the module's loop.
   */
  record Replication(ReplicationOp op, String argument, long token) implements Action {}

  /** Replication operations. */
  enum ReplicationOp {
    /** Serve the replicated directories read-write as the primary (ALONE/PRIM). */
    START_PRIMARY,
    /** Stop serving as primary. */
    STOP_PRIMARY,
    /** A secondary joined: start mirroring writes to it. */
    ATTACH_SECONDARY,
    /** The secondary left: continue alone. */
    DETACH_SECONDARY,
    /**
     * Become secondary and reintegrate ({@code argument}: {@code fullsync}, a date, {@code nosync}
     * after a {@code swap nosync}, or empty).
     */
    START_SECONDARY,
    /** Stop being secondary. */
    STOP_SECONDARY
  }

  /** The answer to a command: accepted, or refused with a clear message (never an exception). */
  record Reply(Verb verb, boolean accepted, String message) implements Action {}

  /**
   * Ping the witnesses of {@code <splitbrain>} (spec B.18, C.8), asked when every heartbeat is lost
   * before this node goes ALONE. The runtime sets {@code splitbrain.<ident>} from the answer and
   * feeds it back as {@link Event.ScriptDone} with {@code token}: exit code 0 when at least one
   * witness answered, non-zero otherwise.
   */
  record AskWitness(long token) implements Action {}

  /** Send this heartbeat on every lan of {@code <heart>} (spec B.4). */
  record SendHeartbeat(HeartbeatMessage message) implements Action {}
}
