package org.bulwark.automaton;

import org.bulwark.api.module.LocalState;

/**
 * The part of an automaton state shared by mirror and farm (immutable snapshot).
 *
 * @param settings service attributes
 * @param local the local state
 * @param plan the transition in progress, or null
 * @param block why WAIT is blocked
 * @param blockRule the failover rule that blocked it (for RESOURCE)
 * @param loopCount maxloop counter (spec B.3)
 * @param loopSince when the counter was initialised ({@code heart.stopstartloop})
 * @param pending a stop command received during a transition, run at the next script end
 * @param nextToken last script token handed out
 */
record Core(
    ServiceSettings settings,
    LocalState local,
    Plan plan,
    Block block,
    String blockRule,
    int loopCount,
    long loopSince,
    Event.Command pending,
    long nextToken,
    boolean initPending) {

  static Core initial(ServiceSettings settings) {
    return new Core(settings, LocalState.STOPPED, null, Block.NONE, "", 0, 0, null, 0, false);
  }
}
