package org.bulwark.automaton;

import java.util.List;
import java.util.Objects;

/** What an automaton reacts to. Time is not an event field: every step receives {@code now}. */
public sealed interface Event {

  /**
   * An administrative command, or a checker/failover-rule action (spec F.3, B.19).
   *
   * @param verb the verb
   * @param origin who asked
   * @param argument {@code fullsync} for prim/second, {@code nosync} for swap, the date of {@code
   *     secondforce -d}; empty otherwise
   * @param services the services a {@code restart} restarts (errd's {@code restart_services}, spec
   *     B.10): every script of that restart gets {@code -Services "S1, S2"} after its three
   *     arguments (spec E.2); empty for a plain restart and for every other verb
   */
  record Command(Verb verb, Origin origin, String argument, List<String> services)
      implements Event {
    public Command {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(origin, "origin");
      argument = argument == null ? "" : argument;
      services = services == null ? List.of() : List.copyOf(services);
      if (!services.isEmpty() && verb != Verb.RESTART) {
        throw new IllegalArgumentException(
            "services " + services + " go with restart only, not with " + verb.word());
      }
    }

    public Command(Verb verb, Origin origin, String argument) {
      this(verb, origin, argument, List.of());
    }

    public static Command of(Verb verb, Origin origin) {
      return new Command(verb, origin, "");
    }

    public static Command admin(Verb verb) {
      return new Command(verb, Origin.admin("root"), "");
    }
  }

  /** Time passes (loop_interval expiry, last-sync refresh). */
  record Tick() implements Event {}

  /** The heartbeat layer's view of the peer changed (spec B.4). */
  record PeerChanged(PeerView view) implements Event {
    public PeerChanged {
      Objects.requireNonNull(view, "view");
    }
  }

  /**
   * A script started by {@link Action.RunScript} ended (or was skipped because it does not exist).
   * Exit codes are logged but do not change the state (spec E.2: scripts abort by calling {@code
   * safekit stop -i}).
   */
  record ScriptDone(long token, int exitCode) implements Event {}

  /** Replication reports that this secondary is synchronised with the primary (spec C.4). */
  record ReintegrationDone(boolean ok) implements Event {}

  /**
   * Secondary: the replication stream from the primary broke. This node holds every write the
   * primary acknowledged so far, and no longer follows (spec C.5, C.7).
   */
  record ReplicationLost(String reason) implements Event {}

  /** Secondary: a reintegration starts changing this copy (spec C.4, C.11). */
  record ReintegrationStarted() implements Event {}

  /**
   * Primary: the secondary is no longer fed — its session with this primary's replica ended (link
   * cut, the secondary stopped, failed or timed out, or replication failed here). A PRIM goes ALONE
   * (spec C.7, UG §13.7.3); writes go on here only, in a new data generation.
   */
  record Degraded(String reason) implements Event {}

  /**
   * Primary: this node's replica accepted a secondary's session (its reintegration begins). Only
   * then may ALONE become PRIM again: after a link break the peer's heartbeats still say SECOND
   * while it is not attached (spec C.2, C.7).
   */
  record SecondaryAttached() implements Event {}

  /**
   * Whether a resource read by a wait rule of the failover machine is still {@code init} (its
   * checker has not answered yet): while it is, a WAIT is held Transient, no role is decided (spec
   * B.11). The runtime says it at every change.
   */
  record InitPending(boolean pending) implements Event {}

  /**
   * A resource was set from outside the automaton: {@code safekit set -r <name> -v <value>} (spec
   * B.20, F.3). The mirror automaton takes {@code rfs.syncat} (spec C.12); others are ignored here.
   */
  record ResourceSet(String name, String value, String by) implements Event {
    public ResourceSet {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      by = by == null ? "" : by;
    }
  }
}
