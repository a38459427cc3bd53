package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.WAIT;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLevel;

/**
 * What a mirror node decides in a stable state (no transition running), from its own state, its
 * data freshness and the peer's heartbeat view (spec C.2–C.10).
 *
 * <pre>
 * local            peer (heartbeat view)                 decision
 * WAIT, blocked    (resource wait)                       stay WAIT NotReady until wakeup
 * WAIT             undecided (no heartbeat yet, &lt; timeout) stay WAIT Transient
 * WAIT, prim       primary                               Requested prim start aborted -> STOP
 * WAIT, prim       stopped during reintegration (C.11)   Data may be inconsistent … -> STOP
 * WAIT, prim(force) absent or not primary                ALONE
 * WAIT             primary                               SECOND (reintegration, then Ready)
 * WAIT             WAIT, this node ranks first, eligible PRIM (peer Transient) / ALONE (peer blocked)
 * WAIT             WAIT, the peer ranks first, eligible  stay WAIT Transient (it becomes SECOND)
 * WAIT             WAIT, nobody eligible (C.3)           WAIT NotReady, Data may not be uptodate …
 * WAIT             absent, up to date                    ALONE
 * WAIT             absent, not up to date (C.5)          WAIT NotReady, Data may not be uptodate …
 * WAIT, failover-off  absent                             stay WAIT NotReady (C.9)
 * ALONE            SECOND, its session attached here     PRIM
 * ALONE            SECOND, no session (link broken)      stay ALONE while it reintegrates (C.7)
 * ALONE/PRIM       ALONE/PRIM (split brain, C.8)         older primary: staying alone; other: exiting alone -> SECOND
 * PRIM             absent, WAIT or STOP                  ALONE (Action alone called by heart: …)
 * PRIM             WAIT Transient, unheard since this    stay PRIM: it has not heard this node
 *                  node became primary over it           primary yet (it follows)
 * PRIM             SECOND, its session ended (C.7)       ALONE (Action alone called by nfsadmin: …;
 *                                                        heart: remote stop when heard stopping)
 * PRIM             SECOND asks a swap                    swap -> SECOND (swap nosync: its replication
 *                                                        follows without comparing the trees)
 * SECOND           SECOND handing over (swap)            PRIM
 * SECOND           absent, WAIT or STOP, failover on     ALONE when up to date, else WAIT NotReady
 * PRIM/SECOND      absent, with a splitbrain witness     ask it: answered -> ALONE; not -> WAIT
 *                                                        NotReady (splitbrain_failure) until heard
 * SECOND           absent, WAIT or STOP, failover off    WAIT NotReady (Failover-off configured …)
 * SECOND Ready     PRIM Ready, defaultprim = this node   ask a swap (Transition SWAP from defaultprim)
 * SECOND or WAIT   its rfs.degraded up (C.7)             WAIT NotReady: the failover machine's
 *                                                        degraded_server wait, until the primary
 *                                                        is stopped and started
 * </pre>
 *
 * Ranking when both wait (spec C.2 "[inferred: exact arbitration rule]", C.5 double outage): prim
 * intent, then newer generation (a later primary tenure), then up to date, then was primary last (a
 * secondary never holds more than its primary; lastprim), then the later synchronisation point
 * (synctimestamp, which assumes synchronised clocks like SafeKit's own 90 s check, spec C.4), then
 * the defaultprim node, then the smaller node name. Both nodes compute it from the same heartbeats,
 * so they agree.
 */
final class MirrorRules {

  static final String NOT_UPTODATE_1 =
      "Data may not be uptodate for replicated directories (wait for the start of the remote"
          + " server)";
  static final String NOT_UPTODATE_2 =
      "If you are sure that this server has valid data, run safekit prim to force start as"
          + " primary";
  static final String INCONSISTENT_1 =
      "Data may be inconsistent for replicated directories (stopped during reintegration)";
  static final String INCONSISTENT_2 =
      "If you are sure that this server has valid data, run safekit primforce to force start as"
          + " primary";

  /** The internal failover rule that blocks a node whose data may not be up to date. */
  static final String NOT_UPTODATE_RULE = "notuptodate_server";

  private final MirrorMachine m;

  MirrorRules(MirrorMachine m) {
    this.m = m;
  }

  void evaluate() {
    switch (m.local.state()) {
      case WAIT -> decideInWait();
      case ALONE -> inAlone();
      case PRIM -> inPrim();
      case SECOND -> inSecond();
      default -> {}
    }
  }

  // ---- WAIT ----

  private void decideInWait() {
    PeerView p = m.peer;
    if (m.block == Block.RESOURCE) {
      m.setReadiness(Readiness.NOT_READY);
      return;
    }
    if (m.initPending) {
      m.setReadiness(Readiness.TRANSIENT); // a checker has not answered yet (spec B.11)
      return;
    }
    if (p.presence() == PeerView.Presence.UNKNOWN) {
      return; // first heartbeat or first timeout not there yet
    }
    if (m.intent.wantsPrimary()) {
      primStart(p);
      return;
    }
    if (p.primary()) {
      if (m.retryAt > m.now) {
        m.setReadiness(Readiness.NOT_READY); // a reintegration failed: next attempt at retryAt
        return;
      }
      if (SyncatWaitRule.hold(m)) {
        m.setReadiness(Readiness.NOT_READY); // outside the syncat window: rfs_syncat_wait's turn
        return;
      }
      m.intent = Intent.NORMAL;
      go(SECOND);
    } else if ((m.intent.wantsSecondary() && !p.in(WAIT)) || p.in(SECOND)) {
      m.setReadiness(Readiness.TRANSIENT); // wait for a primary to follow
    } else if (p.in(WAIT) && !p.stopping()) {
      // Both wait: someone must lead, so a second intent becomes a plain start (both nodes must
      // rank with the same inputs).
      m.intent = Intent.NORMAL;
      arbitrate(p);
    } else if (m.block == Block.FAILOVER_OFF) {
      m.setReadiness(Readiness.NOT_READY); // C.9: only the old primary's return or prim
    } else if (m.data.uptodate() && m.data.consistent()) {
      go(ALONE);
    } else {
      holdForData();
    }
  }

  private void primStart(PeerView p) {
    if (p.primary()) {
      m.log(EventLevel.E, "Requested prim start aborted");
      abort();
    } else if (m.intent == Intent.PRIM && !m.data.consistent()) {
      m.log(EventLevel.E, INCONSISTENT_1);
      m.log(EventLevel.E, INCONSISTENT_2);
      m.log(EventLevel.E, "Requested prim start aborted");
      abort();
    } else {
      go(ALONE);
    }
  }

  private void abort() {
    m.intent = Intent.NORMAL;
    m.block = Block.NONE;
    m.begin(Plans.toStop("stop"), STOP, false);
  }

  private void arbitrate(PeerView p) {
    boolean first = ranksFirst(p);
    DataFreshness mine = m.data;
    DataFreshness theirs = p.data();
    if (first && eligible(mine, m.intent.wantsPrimary(), theirs)) {
      boolean follows = p.state().readiness() != Readiness.NOT_READY;
      // its heartbeats say WAIT until it has heard this node primary: no stop (see inPrim)
      m.followerAwaited = follows;
      go(follows ? PRIM : ALONE);
    } else if (!first && eligible(theirs, p.primIntent(), mine)) {
      if (m.block == Block.FAILOVER_OFF) {
        m.setReadiness(Readiness.NOT_READY); // C.9: still waiting, the peer will become primary
      } else if (SyncatWaitRule.hold(m)) {
        // the peer will start; NotReady, it starts ALONE and the rule's wait follows (C.12)
        m.block = Block.NONE;
        m.setReadiness(Readiness.NOT_READY);
      } else {
        m.block = Block.NONE;
        m.setReadiness(Readiness.TRANSIENT);
      }
    } else if (m.block == Block.FAILOVER_OFF) {
      m.setReadiness(Readiness.NOT_READY);
    } else {
      holdForData();
    }
  }

  /** Whether data may start as primary against the other node's (spec C.3, C.5). */
  static boolean eligible(DataFreshness d, boolean primIntent, DataFreshness other) {
    if (primIntent || (d.uptodate() && d.consistent())) {
      return true;
    }
    // Double outage: nobody knows, the newer history resumes its role (spec C.5). A later primary
    // tenure (generation) holds newer data than a node that only knows it stopped cleanly.
    return d.consistent()
        && d.generation() > 0
        && (d.generation() > other.generation()
            || (d.generation() == other.generation() && !other.uptodate()));
  }

  boolean ranksFirst(PeerView p) {
    DataFreshness a = m.data;
    DataFreshness b = p.data();
    int c = Boolean.compare(m.intent.wantsPrimary(), p.primIntent());
    if (c == 0) {
      c = Long.compare(a.generation(), b.generation());
    }
    if (c == 0) {
      c = Boolean.compare(a.uptodate() && a.consistent(), b.uptodate() && b.consistent());
    }
    if (c == 0) {
      c = Boolean.compare(a.wasPrimary(), b.wasPrimary());
    }
    if (c == 0) {
      c = Long.compare(a.lastSyncMillis(), b.lastSyncMillis());
    }
    if (c == 0) {
      String dp = m.settings.defaultprim();
      c = Boolean.compare(dp.equals(m.settings.node()), dp.equals(p.node()));
    }
    if (c == 0) {
      c = p.node().compareTo(m.settings.node());
    }
    return c > 0;
  }

  /**
   * Nobody to follow and no data to start with (spec C.3, C.5): no role is decided. The block
   * itself is the failover machine's rule {@code notuptodate_server}: WAIT stays Transient until
   * its wait comes ({@link MirrorMachine#dataWait}), then NotReady until this arbitration finds a
   * way out (a primary to follow, a peer that ranks first, data made up to date).
   */
  private void holdForData() {
    if (m.block != Block.NOT_UPTODATE && !m.dataWaitAsked) {
      m.setReadiness(Readiness.TRANSIENT);
      return;
    }
    if (m.block != Block.NOT_UPTODATE) {
      m.block = Block.NOT_UPTODATE;
      m.log(EventLevel.E, Origin.internalRule(NOT_UPTODATE_RULE).actionLine(Verb.WAIT.word()));
      m.log(EventLevel.E, NOT_UPTODATE_1);
      m.log(EventLevel.E, NOT_UPTODATE_2);
    }
    m.setReadiness(Readiness.NOT_READY);
  }

  private void go(org.bulwark.api.module.ModuleState to) {
    m.block = Block.NONE;
    String arg = "";
    if (m.intent == Intent.PRIMFORCE
        || (m.intent.wantsPrimary() && m.intentArg.equals("fullsync"))) {
      arg = "fullsync";
    } else if (m.intent.wantsSecondary() && !m.intentArg.isEmpty()) {
      arg = m.intentArg;
    }
    m.begin(Plans.fromWait(to, arg), to, false);
  }

  // ---- ALONE / PRIM ----

  private void inAlone() {
    if (m.local.readiness() != Readiness.READY) {
      return;
    }
    if (m.peer.present() && !m.peer.primary() && m.peer.data().tenure() > m.data.tenure()) {
      // The peer took the primary role after this node did, while they could not hear each
      // other, and is already leaving it when heard again (spec C.8): this node stays. Said once
      // per episode even when the peer's ALONE was never heard (found in the network lab).
      logStaying();
    }
    if (m.peer.in(SECOND) && m.secondaryLink == SecondaryLink.ATTACHED) {
      // Heartbeats saying SECOND are not enough: after a link break the peer still says SECOND
      // (Transient) while it retries; PRIM means a secondary is fed again (spec C.2, C.7).
      m.begin(Plans.aloneToPrim(), PRIM, false);
    } else if (m.peer.primary()) {
      splitBrain();
    }
  }

  private void inPrim() {
    PeerView p = m.peer;
    if (m.followerAwaited
        && p.present()
        && p.in(WAIT)
        && p.state().readiness() == Readiness.TRANSIENT
        && !p.stopping()) {
      // Became primary over this waiting peer, which has not heard it yet: with no scripts the
      // plan ends before a heartbeat goes round, and that WAIT is no stop (found in the network
      // lab: the primary went ALONE, then PRIM again in a new generation). It follows, or says
      // NotReady, stopping, or is lost: each of those decides.
      return;
    }
    if (p.absent() || p.in(WAIT) || p.in(STOP)) {
      String reason = p.absent() ? p.reason() : "remote stop";
      m.secondaryLink = SecondaryLink.NONE;
      m.begin(witnessFirst(p, reason, Plans.primToAlone()), ALONE, false);
    } else if (p.primary()) {
      splitBrain();
    } else if (m.secondaryLink == SecondaryLink.LOST) {
      secondaryLost(p);
    } else if (p.in(SECOND)
        && p.swapRequested()
        && m.local.readiness() == Readiness.READY
        && p.state().readiness() == Readiness.READY) {
      beginSwapAsPrim(p.swapNosync());
    }
  }

  /**
   * The secondary's session ended while its heartbeats still flow (link cut, its disk, sendtimeout,
   * locktimeout, spec C.7 and UG §13.7.3): ALONE, as for a lost heartbeat (no stop or start of the
   * application, the VIP kept), said by the replication manager. A peer heard stopping is the
   * {@code remote stop} of spec C.2. The session is already gone: no detach, which could end a
   * secondary's new session accepted meanwhile.
   */
  private void secondaryLost(PeerView p) {
    String reason = m.lostReason;
    m.secondaryLink = SecondaryLink.NONE;
    m.lostReason = "";
    if (p.stopping()) {
      m.out.add(
          new Action.Log(EventLevel.E, Machine.HEART, "Action alone called by heart: remote stop"));
    } else {
      m.out.add(
          new Action.Log(EventLevel.E, NFSADMIN, "Action alone called by nfsadmin: " + reason));
    }
    List<PlanStep> steps =
        Plans.primToAlone().stream()
            .filter(
                s ->
                    !(s instanceof PlanStep.Replicate r
                        && r.op() == Action.ReplicationOp.DETACH_SECONDARY))
            .toList();
    m.begin(steps, ALONE, false);
  }

  /** The component of the replication manager in the module log (spec G.6). */
  static final String NFSADMIN = "nfsadmin";

  /**
   * This PRIM hands over; with {@code nosync} (spec C.10) it follows the new primary without a
   * comparison of the trees: they were equal when its application stopped.
   */
  void beginSwapAsPrim(boolean nosync) {
    m.log(EventLevel.E, nosync ? "Begin of Swap (nosync)" : "Begin of Swap");
    m.swapping = true;
    m.swapNosync = nosync;
    m.begin(Plans.primaryToSecond(PRIM, true, nosync), SECOND, false);
  }

  /** Both primary while heartbeats flow again (spec C.8): the older primary stays. */
  private void splitBrain() {
    DataFreshness a = m.data;
    DataFreshness b = m.peer.data();
    boolean stay =
        a.tenure() < b.tenure()
            || (a.tenure() == b.tenure() && m.settings.node().compareTo(m.peer.node()) < 0);
    if (stay) {
      logStaying();
      return;
    }
    m.log(EventLevel.E, "Split brain recovery: exiting alone");
    m.begin(Plans.primaryToSecond(m.local.state(), false, false), SECOND, false);
  }

  private void logStaying() {
    if (!m.splitBrainLogged) {
      m.splitBrainLogged = true;
      m.log(EventLevel.E, "Split brain recovery: staying alone");
    }
  }

  // ---- SECOND ----

  private void inSecond() {
    PeerView p = m.peer;
    if (p.in(SECOND) && p.swapping()) {
      // Only a secondary holding every write may take the primary role over (spec C.10). Its
      // stream from the primary ends as the primary stops serving in the swap, so it is not
      // Ready any more: being up to date is what counts (found by the simulation).
      if (m.data.uptodate() && m.data.consistent()) {
        m.log(EventLevel.E, "Begin of Swap");
        m.begin(Plans.secondToPrim(), PRIM, false);
      }
      return;
    }
    if (m.swapping && p.in(SECOND) && !p.data().uptodate()) {
      // The peer we handed over to is not synchronised (it restarted its module meanwhile): take
      // back. Its readiness alone does not say it: a restart of its scripts leaves it Transient
      // yet synchronised, and it may be taking over at this very moment (found by the
      // simulation).
      m.log(EventLevel.E, "Swap aborted: the secondary is not synchronised");
      m.swapping = false;
      m.begin(Plans.secondToPrim(), PRIM, false);
      return;
    }
    if (p.absent() || p.in(WAIT) || p.in(STOP)) {
      primaryLost(p.absent() ? p.reason() : "remote stop");
      return;
    }
    String dp = m.settings.defaultprim();
    if (p.in(PRIM)
        && m.local.readiness() == Readiness.READY
        && p.state().readiness() == Readiness.READY
        && !m.defaultprimDone
        && dp.equals(m.settings.node())) {
      m.defaultprimDone = true;
      m.swapRequested = true;
      m.swapNosync = false;
      m.log(EventLevel.E, "Transition SWAP from defaultprim");
    }
  }

  /** The primary stopped or is no longer heard (spec C.2, C.9). */
  private void primaryLost(String reason) {
    m.swapRequested = false;
    if (m.swapping && !"remote stop".equals(reason)) {
      // Handed over, then lost the peer unheard: it may already have written as PRIM (C.10).
      m.setUptodate(false);
      m.swapping = false;
    }
    if (!(m.data.uptodate() && m.data.consistent())) {
      // A secondary in reintegration holds half-copied data: it cannot take over (spec C.4).
      m.begin(Plans.toWait(SECOND, "stop", true), WAIT, false);
      return;
    }
    if (!m.failover) {
      m.log(EventLevel.E, "Failover-off configured");
      m.log(EventLevel.E, "Action stopstart called by failover-off");
      m.log(EventLevel.E, "Transition STOPSTART from failover-off");
      m.block = Block.FAILOVER_OFF;
      if (!"remote stop".equals(reason)) {
        // Not heard is not stopped: the primary may still be writing (spec C.8), so only its
        // return or an explicit prim may decide (spec C.9).
        m.setUptodate(false);
      }
      m.begin(Plans.toWait(SECOND, "stopstart", true), WAIT, false);
      return;
    }
    m.begin(witnessFirst(m.peer, reason, Plans.secondToAlone()), ALONE, false);
  }

  /**
   * The plan to ALONE, preceded by the question to the witnesses when a {@code <splitbrain>}
   * checker is configured and every heartbeat is lost (spec C.8): {@code Action alone} is said only
   * once a witness answered. A peer heard stopping needs no witness.
   */
  private List<PlanStep> witnessFirst(PeerView p, String reason, List<PlanStep> toAlone) {
    Action alone =
        new Action.Log(EventLevel.E, Machine.HEART, "Action alone called by heart: " + reason);
    if (!(m.witness && p.absent() && !"remote stop".equals(reason))) {
      m.out.add(alone);
      return toAlone;
    }
    List<PlanStep> steps = new ArrayList<>();
    steps.add(new PlanStep.Witness());
    steps.add(new PlanStep.Emit(alone));
    steps.addAll(toAlone);
    return steps;
  }
}
