package org.bulwark.automaton;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.module.LocalState;

/**
 * The automaton of one module on one node, whatever its kind, as the module runtime drives it: it
 * feeds events with the time and executes the ordered actions returned. No thread, no I/O.
 */
public interface ModuleDriver {

  List<Action> command(Event.Command command, long now);

  List<Action> scriptDone(long token, int exitCode, long now);

  /** Time passed: timeouts, pulses, the maxloop window. */
  List<Action> tick(long now);

  /** The local state ({@code UP Ready} …). */
  LocalState local();

  /** When {@link #tick} must run next at the latest. */
  long nextWakeup(long now);

  /** Mirror modules: the data freshness the runtime persists (spec C.4). */
  default Optional<DataFreshness> data() {
    return Optional.empty();
  }

  /** A heartbeat arrived on lan {@code ident} (mirror modules, spec B.4). */
  default List<Action> heartbeat(String ident, HeartbeatMessage message, long now) {
    return List.of();
  }

  /** Replication reports the end of a reintegration (mirror modules, spec C.4). */
  default List<Action> reintegration(boolean ok, long now) {
    return List.of();
  }

  /** Replication reports that the secondary's stream from the primary broke (spec C.5, C.7). */
  default List<Action> replicationLost(String reason, long now) {
    return List.of();
  }

  /** Replication reports that a reintegration starts changing the secondary's copy (spec C.4). */
  default List<Action> reintegrationStarted(long now) {
    return List.of();
  }

  /**
   * Replication reports that the primary goes on without its secondary (spec C.7): the primary's
   * data moves to a new generation, which its next heartbeat tells the secondary.
   */
  default List<Action> degraded(String reason, long now) {
    return List.of();
  }

  /**
   * Replication reports that the primary's replica accepted a secondary's session (mirror modules):
   * an ALONE primary may become PRIM again (spec C.2, C.7).
   */
  default List<Action> secondaryAttached(long now) {
    return List.of();
  }

  /**
   * A resource was set by {@code safekit set -r} (spec B.20): mirror modules take {@code
   * rfs.syncat} (spec C.12). The runtime records the value itself.
   */
  /** Whether a resource read by a wait rule is still {@code init} (spec B.11): WAIT is held. */
  default List<Action> initPending(boolean pending, long now) {
    return List.of();
  }

  default List<Action> resource(String name, String value, String by, long now) {
    return List.of();
  }
}
