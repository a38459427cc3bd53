package org.bulwark.automaton;

/**
 * What a primary knows of its secondary's replication session (spec C.2, C.7), from the reports of
 * its replica: the heartbeats alone cannot say it, since a secondary whose stream broke still says
 * SECOND (Transient) while it retries.
 *
 * <pre>
 * from       event                                        to
 * any        BECOME_PRIMARY (a new tenure), a stop        NONE
 * any        SecondaryAttached, while primary             ATTACHED
 * any        Degraded while PRIM, or on the way to PRIM   LOST     (the rules then go ALONE)
 * any        Degraded while ALONE                         NONE
 * LOST       PRIM -> ALONE decided                        NONE
 * </pre>
 */
enum SecondaryLink {
  /** No secondary session since this node became primary, or since it went ALONE. */
  NONE,
  /** The replica accepted a secondary's session and it has not ended since. */
  ATTACHED,
  /** The session of this PRIM's secondary ended: PRIM -> ALONE is due. */
  LOST
}
