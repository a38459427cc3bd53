package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.WAIT;

import java.time.Instant;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.rfs.SyncSchedule;
import org.bulwark.api.store.EventLevel;

/**
 * syncat, the scheduled synchronisation of the secondary (spec C.12): resource {@code rfs.syncat}
 * goes up at each scheduled time ({@code <rfs syncat="cron">}, or {@code safekit set -r rfs.syncat
 * -v up}) and down once the secondary is synchronised; the internal failover rule {@code
 * rfs_syncat_wait} keeps the would-be secondary in WAIT NotReady while it is down.
 *
 * <p>The failover machine of spec B.19 does not exist yet: this class is the one place where the
 * rule lives until that machine takes it over. The rule's body is not published; ours holds while
 * {@code rfs.syncat} is down and this node is, or is about to become, the secondary:
 *
 * <pre>
 * local                     peer                                        rfs_syncat_wait
 * SECOND (not in a swap)   any                                         holds: wait (stopwait)
 * WAIT, plain start         primary                                     holds: WAIT NotReady
 * WAIT, plain start         WAIT, ranks first and may start as primary  holds: WAIT NotReady
 * other                                                                 does not hold
 * </pre>
 *
 * Its wait is applied like the failover machine's ({@code Action wait from failover rule
 * rfs_syncat_wait}) and lifted by {@code Action wakeup from failover rule Implicit_wakeup} as soon
 * as it no longer holds; unlike a checker's wait it does not count for maxloop (spec B.3): every
 * scheduled synchronisation ends with one, and a daily schedule would stop the module on its third
 * day. The rule is applied at once, without {@code handle_time}.
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

  /** Whether the rule holds now (see the table above). */
  static boolean holds(MirrorMachine m, MirrorRules rules) {
    if (m.policy.syncat().isEmpty() || "up".equals(m.syncat) || m.swapping) {
      return false; // a former PRIM handing over in a swap finishes it first (spec C.10)
    }
    if (m.local.state() == SECOND) {
      return true;
    }
    if (m.local.state() != WAIT || m.intent.wantsPrimary()) {
      return false;
    }
    PeerView p = m.peer;
    if (p.primary()) {
      return true;
    }
    return p.in(WAIT)
        && !p.stopping()
        && !rules.ranksFirst(p)
        && MirrorRules.eligible(p.data(), p.primIntent(), m.data);
  }

  /** Applies the rule's wait, or the implicit wakeup once it no longer holds. */
  static void apply(MirrorMachine m, MirrorRules rules) {
    if (m.plan != null) {
      return;
    }
    boolean holds = holds(m, rules);
    if (holds && m.block != Block.RESOURCE) {
      m.out.add(
          new Action.Log(
              EventLevel.E, Machine.HEART, Origin.rule(RULE).actionLine(Verb.WAIT.word())));
      m.block = Block.RESOURCE;
      m.blockRule = RULE;
      if (m.local.state() == SECOND) {
        m.log(EventLevel.E, "Transition WAIT_TR from failover rule " + RULE);
        m.begin(Plans.toWait(SECOND, "stopwait", true), WAIT, false);
      } else {
        m.setReadiness(Readiness.NOT_READY);
      }
    } else if (!holds && m.block == Block.RESOURCE && RULE.equals(m.blockRule)) {
      m.out.add(
          new Action.Log(
              EventLevel.E,
              Machine.HEART,
              Origin.rule("Implicit_wakeup").actionLine(Verb.WAKEUP.word())));
      m.block = Block.NONE;
      m.blockRule = "";
      m.setReadiness(Readiness.TRANSIENT);
    }
  }
}
