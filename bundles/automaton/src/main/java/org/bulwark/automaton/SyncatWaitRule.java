package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.WAIT;

import java.time.Instant;
import org.bulwark.api.rfs.SyncSchedule;
import org.bulwark.api.store.EventLevel;

/**
 * syncat, the scheduled synchronisation of the secondary (spec C.12): resource {@code rfs.syncat}
 * goes up at each scheduled time ({@code <rfs syncat="cron">}, or {@code safekit set -r rfs.syncat
 * -v up}) and down once the secondary is synchronised. The wait is the failover machine's internal
 * rule ({@code syncat.rules} in {@code bulwark-failover}):
 *
 * <pre>
 * rfs_syncat_wait: if (rfs.syncat == down &amp;&amp; (state.local == SECOND
 *     || (state.local == WAIT &amp;&amp; (state.remote == PRIM || state.remote == ALONE)))) then wait();
 * </pre>
 *
 * <p>This class keeps the schedule and the value, and the <b>hold before the role decision</b>: the
 * rule reads states, so it can only act once this node could follow a primary, and the machine
 * evaluates every period; the automaton decides a role at once. So while {@code rfs.syncat} is not
 * up, a WAIT that would start to follow stays WAIT NotReady, without a role and without a wait of
 * its own ({@link #hold}):
 *
 * <pre>
 * local              peer                                        without syncat   with rfs.syncat down
 * WAIT, plain start  primary                                     SECOND           WAIT NotReady, then
 *                                                                                 the rule's wait
 * WAIT, plain start  WAIT, ranks first and may start as primary  WAIT Transient   WAIT NotReady: the
 *                                                                                 peer starts ALONE
 * </pre>
 *
 * In the second case the peer, seeing this node NotReady, starts ALONE rather than PRIM, and the
 * rule's wait follows once it is ALONE (spec C.12: the secondary waits, the primary runs ALONE);
 * holding Transient there would start the peer PRIM, then take it to ALONE with {@code Action alone
 * called by heart: remote stop} when the rule's wait came. The rule's wait does not count for
 * maxloop (internal, spec B.3): every scheduled synchronisation ends with one.
 */
final class SyncatWaitRule {

  static final String RULE = "rfs_syncat_wait";
  static final String RESOURCE = "rfs.syncat";

  private SyncatWaitRule() {}

  /** Ticks: the first one sets the resource down and plans; a scheduled time sets it up. */
  static void schedule(MirrorMachine m) {
    if (m.policy.syncat().isEmpty()) {
      return;
    }
    SyncSchedule s = m.policy.syncat().get();
    if (m.syncatNext == 0) {
      if (m.syncat.isEmpty()) {
        set(m, "down", "syncat");
      }
      m.syncatNext = next(m, s);
      return;
    }
    if (m.now >= m.syncatNext) {
      m.syncatNext = next(m, s);
      // The primary has nothing to synchronise: the time is for the node that follows.
      if (m.local.state() != STOP && !m.local.state().isPrimary()) {
        set(m, "up", "syncat");
      }
    }
  }

  private static long next(MirrorMachine m, SyncSchedule s) {
    return s.next(Instant.ofEpochMilli(m.now), m.policy.zone())
        .map(Instant::toEpochMilli)
        .orElse(Long.MAX_VALUE);
  }

  /** The secondary is synchronised: the window closes (spec C.12 "down after sync"). */
  static void synchronised(MirrorMachine m) {
    if (m.policy.syncat().isPresent() && "up".equals(m.syncat)) {
      set(m, "down", "reintegre");
    }
  }

  /** {@code safekit set -r rfs.syncat -v up|down}: the runtime recorded it, the rule follows. */
  static void resourceSet(MirrorMachine m, Event.ResourceSet rs) {
    if (RESOURCE.equals(rs.name())) {
      m.syncat = "up".equals(rs.value()) ? "up" : "down";
    }
  }

  private static void set(MirrorMachine m, String value, String by) {
    m.syncat = value;
    m.out.add(new Action.SetResource(RESOURCE, value, by));
    m.out.add(
        new Action.Log(
            EventLevel.E, by, "Resource " + RESOURCE + " set to " + value + " by " + by));
  }

  /**
   * The hold before the role decision (see the table above): syncat is configured, {@code
   * rfs.syncat} is not up, and this WAITing node would start in order to follow (a plain or second
   * start). {@link MirrorRules} keeps it WAIT NotReady instead of deciding.
   */
  static boolean hold(MirrorMachine m) {
    return m.policy.syncat().isPresent()
        && !"up".equals(m.syncat)
        && m.local.state() == WAIT
        && !m.intent.wantsPrimary();
  }

  /**
   * The rule's wait, from the failover machine, taken by {@link Commands} as any rule's wait but
   * while this node hands over in a swap: the former primary finishes it first (spec C.10); the
   * machine repeats the wait while the rule holds, and the next one is taken.
   */
  static boolean deferred(MirrorMachine m, Event.Command c) {
    if (!RULE.equals(c.origin().name()) || !c.origin().fromRule() || !m.swapping) {
      return false;
    }
    m.reply(c, true, "wait accepted");
    return true;
  }
}
