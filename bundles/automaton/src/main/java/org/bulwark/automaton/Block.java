package org.bulwark.automaton;

/** Why a module sits in WAIT NotReady (spec C.1: "waiting for one or more resources"). */
public enum Block {
  /** Not blocked: WAIT is Transient, a decision follows. */
  NONE,
  /** A checker or failover rule asked for wait; lifted by wakeup (spec B.19). */
  RESOURCE,
  /** Mirror: the data may not be up to date (spec C.3, C.5: rule notuptodate_server). */
  NOT_UPTODATE,
  /** Mirror: the primary left while failover is off (spec C.9). */
  FAILOVER_OFF
}
