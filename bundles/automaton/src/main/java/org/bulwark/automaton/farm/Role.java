package org.bulwark.automaton.farm;

/** A node's part in the farm membership (spec D.2). */
public enum Role {
  /** Takes no part (module not UP); in a pulse: the sender leaves. */
  OUT,
  /** Started to take part; listens before it may lead. */
  JOINING,
  /** Installs the views of its leader. */
  FOLLOWER,
  /** The lowest-named node that runs: decides the views. */
  LEADER
}
