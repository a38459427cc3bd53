package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.WAIT;
import static org.bulwark.api.module.Readiness.NOT_READY;
import static org.bulwark.api.module.Readiness.READY;
import static org.bulwark.api.module.Readiness.TRANSIENT;
import static org.bulwark.automaton.Run.cmd;
import static org.bulwark.automaton.Run.logs;
import static org.bulwark.automaton.Run.ls;
import static org.bulwark.automaton.Run.peer;
import static org.bulwark.automaton.Run.peerGone;
import static org.bulwark.automaton.Run.scripts;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.module.LocalState;
import org.junit.Test;

/**
 * Golden scenarios of the mirror automaton, named after the spec sections they implement: the exact
 * scripts (spec E.4) and module log lines (spec C, H, log index) of each step.
 */
public class MirrorGoldenTest {

  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");

  static Run aloneReady(ServiceSettings s) {
    Run r = Run.mirror(s, Run.UPTODATE);
    r.on(peerGone("no heartbeat"));
    r.on(cmd(Verb.START));
    assertEquals(ls(ALONE, READY), r.local());
    return r;
  }

  static Run primReady() {
    Run r = aloneReady(NODE1);
    r.on(peer(SECOND, TRANSIENT, 1, 1));
    assertEquals(ls(PRIM, READY), r.local());
    return r;
  }

  static Run secondReady(ServiceSettings s) {
    Run r = Run.mirror(s, Run.STALE);
    r.on(peer(PRIM, READY, 5, 5));
    r.on(cmd(Verb.START));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
    r.on(new Event.ReintegrationDone(true));
    assertEquals(ls(SECOND, READY), r.local());
    return r;
  }

  @Test
  public void c3_firstStartWithoutPrim_waitsNotReadyWithTheHint() {
    Run r = Run.mirror(NODE1, DataFreshness.NEVER_SYNCED);
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(List.of("transition STOP WAIT start", "prestart STOP WAIT start"), scripts(a));
    assertEquals(
        List.of(
            "Action start called by root",
            "Local state WAIT Transient",
            "Action wait from failover rule notuptodate_server",
            "Data may not be uptodate for replicated directories (wait for the start of the remote"
                + " server)",
            "If you are sure that this server has valid data, run safekit prim to force start as"
                + " primary",
            "Local state WAIT NotReady"),
        logs(a));
    assertEquals(Block.NOT_UPTODATE, r.mirror.block());
  }

  @Test
  public void c3_primOnTheGoodNode_goesAloneReady() {
    Run r = Run.mirror(NODE1, DataFreshness.NEVER_SYNCED);
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(cmd(Verb.PRIM));
    assertEquals(
        List.of(
            "transition STOP WAIT start",
            "prestart STOP WAIT start",
            "transition WAIT ALONE start",
            "start_both WAIT ALONE start",
            "start_prim WAIT ALONE start",
            "start_sec WAIT ALONE start"),
        scripts(a));
    assertEquals(
        List.of(
            "Action prim called by root",
            "Local state WAIT Transient",
            "Local state ALONE Transient",
            "Local state ALONE Ready"),
        logs(a));
    // VIP and replication are set up after transition, before the application starts (E.4).
    int vip = Run.indexOfVip(a, true);
    int repl = Run.indexOfReplication(a, Action.ReplicationOp.START_PRIMARY, "");
    int startBoth = indexOfScript(a, "start_both");
    assertTrue(repl >= 0 && repl < vip && vip < startBoth);
    assertTrue(r.mirror.data().uptodate());
  }

  @Test
  public void c3_primRefusedWhenThePeerIsPrimary_secondRefusedWhenItIsNot() {
    Run r = Run.mirror(NODE1, Run.STALE);
    r.on(peer(PRIM, READY, 5, 5));
    Action.Reply no = Run.reply(r.on(cmd(Verb.PRIM)));
    assertFalse(no.accepted());
    assertEquals("prim refused: the peer node2 is already primary (PRIM Ready)", no.message());
    assertEquals(LocalState.STOPPED, r.local());

    Run q = Run.mirror(NODE1, Run.STALE);
    q.on(peerGone("no heartbeat"));
    Action.Reply no2 = Run.reply(q.on(cmd(Verb.SECOND)));
    assertFalse(no2.accepted());
    assertEquals(
        "second refused: the peer is not primary (Remote state UNKNOWN Unknown)", no2.message());
  }

  @Test
  public void c5_startWithoutUptodateData_waitsForTheRemoteServer() {
    Run r = Run.mirror(NODE1, Run.STALE);
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertTrue(logs(a).contains(MirrorRules.NOT_UPTODATE_1));
    assertTrue(logs(a).contains(MirrorRules.NOT_UPTODATE_2));
    // the up-to-date peer starts as primary: this node follows as secondary
    List<Action> b = r.on(peer(ALONE, READY, 7, 7));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
    assertEquals(
        List.of(
            "transition WAIT SECOND start",
            "start_both WAIT SECOND start",
            "start_second WAIT SECOND start",
            "start_sec WAIT SECOND start"),
        scripts(b));
  }

  @Test
  public void c2_aloneBecomesPrimWhenThePeerStartsAsSecond() {
    Run r = aloneReady(NODE1);
    List<Action> a = r.on(peer(SECOND, TRANSIENT, 1, 1));
    assertEquals(List.of("stop_sec ALONE PRIM start", "transition ALONE PRIM start"), scripts(a));
    assertEquals(
        List.of(
            "Remote state SECOND Transient",
            "Local state PRIM Transient",
            "Local state PRIM Ready"),
        logs(a));
  }

  @Test
  public void c2_primBecomesAloneWhenTheSecondStops() {
    Run r = primReady();
    List<Action> a = r.on(peerGone("remote stop"));
    assertEquals(List.of("transition PRIM ALONE start", "start_sec PRIM ALONE start"), scripts(a));
    assertEquals(
        List.of(
            "Remote state UNKNOWN Unknown",
            "Action alone called by heart: remote stop",
            "Local state ALONE Transient",
            "Local state ALONE Ready"),
        logs(a));
  }

  /** Both nodes wait; this one ranks first (a later generation) and becomes PRIM over its peer. */
  private static Run primOverAWaitingPeer() {
    Run r = Run.mirror(NODE1, new DataFreshness(false, 7, true, true, 0, 7));
    r.on(cmd(Verb.START));
    List<Action> a = r.on(peer(WAIT, TRANSIENT, 5, 5));
    // the plan ends before the peer hears it: its heartbeats still say WAIT Transient
    assertEquals(logs(a).toString(), ls(PRIM, READY), r.local());
    assertTrue(logs(a).toString(), logs(a).stream().noneMatch(l -> l.startsWith("Action alone")));
    return r;
  }

  /**
   * spec C.2: a peer that waits to follow is no stopped peer. With no scripts the plan to PRIM ends
   * before a heartbeat goes round; the primary went ALONE on "remote stop", then PRIM again in a
   * new generation (found in the network lab, SplitBrainLabIT).
   */
  @Test
  public void c2_bothWait_thePrimaryWaitsForItsPeerToHearIt() {
    Run r = primOverAWaitingPeer();
    r.on(peer(WAIT, TRANSIENT, 5, 5)); // heard again, still deciding
    assertEquals(ls(PRIM, READY), r.local());
    List<Action> follows = r.on(peer(SECOND, TRANSIENT, 5, 5));
    assertEquals(ls(PRIM, READY), r.local());
    assertTrue(scripts(follows).isEmpty());
    // from now on its WAIT is a stop, as always
    List<Action> leaves = r.on(peer(WAIT, TRANSIENT, 5, 5));
    assertTrue(
        logs(leaves).toString(),
        logs(leaves).contains("Action alone called by heart: remote stop"));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void c2_bothWait_aPeerThatStaysBlockedOrStopsLeavesThePrimaryAlone() {
    Run blocked = primOverAWaitingPeer();
    List<Action> a = blocked.on(peer(WAIT, NOT_READY, 5, 5));
    assertTrue(logs(a).toString(), logs(a).contains("Action alone called by heart: remote stop"));
    assertEquals(ls(ALONE, READY), blocked.local());
    Run lost = primOverAWaitingPeer();
    List<Action> b = lost.on(peerGone("no heartbeat"));
    assertTrue(logs(b).toString(), logs(b).contains("Action alone called by heart: no heartbeat"));
    assertEquals(ls(ALONE, READY), lost.local());
  }

  @Test
  public void c2_failoverOfTheSecondOnHeartbeatLoss() {
    Run r = secondReady(NODE1);
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertEquals(
        List.of(
            "stop_second SECOND ALONE start",
            "transition SECOND ALONE start",
            "start_prim SECOND ALONE start"),
        scripts(a));
    assertEquals(
        List.of(
            "Remote state UNKNOWN Unknown",
            "Action alone called by heart: no heartbeat",
            "Local state ALONE Transient",
            "Local state ALONE Ready"),
        logs(a));
  }

  @Test
  public void c7_streamLostThenThePrimaryCrashes_theSecondStillTakesOver() {
    Run r = secondReady(NODE1);
    List<Action> a = r.on(new Event.ReplicationLost("connection to the primary closed"));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
    assertEquals(
        List.of(
            "Replication from the primary lost: connection to the primary closed",
            "Local state SECOND Transient"),
        logs(a));
    // the primary's last heartbeats still show the generation this copy followed: it waited for
    // this node's acknowledgements, so nothing it acknowledged is missing here
    r.on(peer(PRIM, READY, 5, 5));
    assertTrue(r.mirror.data().uptodate());
    List<Action> b = r.on(peerGone("no heartbeat"));
    assertTrue(logs(b).contains("Action alone called by heart: no heartbeat"));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void c7_streamLostAndThePrimaryGoesOn_theSecondIsNotUptodate() {
    Run r = secondReady(NODE1);
    r.on(new Event.ReplicationLost("the primary is silent"));
    r.on(peer(PRIM, READY, 9, 5)); // the primary degraded: a new generation
    assertFalse(r.mirror.data().uptodate());
    List<Action> b = r.on(peerGone("no heartbeat"));
    assertFalse(logs(b).contains("Action alone called by heart: no heartbeat"));
    assertEquals(WAIT, r.local().state());
  }

  /**
   * The secondary's session ended while its heartbeats still flow (spec C.7, UG §13.7.3: link cut,
   * sendtimeout, locktimeout): PRIM goes ALONE as on a lost heartbeat — no stop or start of the
   * application, no detach (the session is gone already) — in a new generation.
   */
  @Test
  public void c7_aPrimWhoseSecondaryIsLostGoesAloneInANewGeneration() {
    Run r = primReady();
    long before = r.mirror.data().generation();
    List<Action> a =
        r.on(new Event.Degraded("sendtimeout: the secondary took nothing for 3000 ms"));
    assertTrue(r.mirror.data().generation() > before);
    assertTrue(r.mirror.data().uptodate());
    assertEquals(ls(ALONE, READY), r.local());
    assertEquals(
        List.of(
            "Action alone called by nfsadmin: sendtimeout: the secondary took nothing for 3000 ms",
            "Local state ALONE Transient",
            "Local state ALONE Ready"),
        logs(a));
    assertEquals(List.of("transition PRIM ALONE start", "start_sec PRIM ALONE start"), scripts(a));
    assertTrue(
        a.stream()
            .noneMatch(
                x ->
                    x instanceof Action.Replication rp
                        && rp.op() == Action.ReplicationOp.DETACH_SECONDARY));
  }

  /**
   * After a link break the peer still says SECOND (Transient) while it retries: ALONE becomes PRIM
   * only once the replica accepted its session again (spec C.2, C.7).
   */
  @Test
  public void c7_aloneBecomesPrimOnlyOnceTheSecondaryIsAttachedAgain() {
    Run r = primReady();
    r.on(new Event.Degraded("connection closed"));
    assertEquals(ls(ALONE, READY), r.local());
    r.on(peer(SECOND, TRANSIENT, 1, 1));
    r.on(new Event.Tick());
    assertEquals(ls(ALONE, READY), r.local());
    List<Action> a = r.on(new Event.SecondaryAttached());
    assertEquals(List.of("stop_sec ALONE PRIM start", "transition ALONE PRIM start"), scripts(a));
    assertEquals(ls(PRIM, READY), r.local());
  }

  /** A session that ends while ALONE is forgotten: the next SECOND must attach again. */
  @Test
  public void c7_aSessionLostWhileAloneMustBeAttachedAgain() {
    Run r = aloneReady(NODE1);
    r.attachOnStart = false;
    r.on(new Event.SecondaryAttached());
    r.on(new Event.Degraded("the secondary was silent for 3000 ms"));
    assertEquals(ls(ALONE, READY), r.local());
    r.on(peer(SECOND, TRANSIENT, 1, 1));
    assertEquals(ls(ALONE, READY), r.local());
    r.on(new Event.SecondaryAttached());
    assertEquals(ls(PRIM, READY), r.local());
  }

  /** Lost while ALONE -> PRIM runs: the plan ends in PRIM, which goes ALONE again at once. */
  @Test
  public void c7_aSecondaryLostOnTheWayToPrimGoesAloneAfterIt() {
    Run r = aloneReady(NODE1);
    r.only(peer(SECOND, TRANSIENT, 1, 1)); // ALONE -> PRIM begins (stop_sec runs)
    List<Action> a = r.on(new Event.Degraded("connection closed"));
    assertTrue(
        logs(a).toString(), logs(a).contains("Action alone called by nfsadmin: connection closed"));
    assertEquals(ls(ALONE, READY), r.local());
  }

  /** Lost during a plan (a restart of PRIM's scripts): ALONE once the plan has ended. */
  @Test
  public void c7_aSecondaryLostDuringARestartGoesAloneAfterIt() {
    Run r = primReady();
    r.only(cmd(Verb.RESTART));
    r.on(new Event.Degraded("locktimeout: no acknowledgement within 5 s"));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void c4_aReintegrationMakesTheCopyInconsistentUntilItEnds() {
    Run r = secondReady(NODE1);
    r.on(new Event.ReplicationLost("the primary is silent"));
    r.on(new Event.ReintegrationStarted());
    assertFalse(r.mirror.data().uptodate());
    assertFalse(r.mirror.data().consistent());
    r.on(new Event.ReintegrationDone(true));
    assertEquals(ls(SECOND, READY), r.local());
    assertTrue(r.mirror.data().uptodate());
    assertTrue(r.mirror.data().consistent());
  }

  /**
   * A reintegration that fails (the secondary's disk full, its link cut) is tried again after 5 s,
   * then 10, 20 … up to 5 min: not at once, which reran the stop and start scripts and made the
   * primary go ALONE and PRIM again every few seconds. A reintegration that ends, or a stop, starts
   * the count again.
   */
  @Test
  public void c4_aFailedReintegrationIsTriedAgainAfterADelayThatDoubles() {
    Run r = Run.mirror(NODE1, Run.STALE);
    r.on(peer(PRIM, READY, 5, 5));
    r.on(cmd(Verb.START));
    long[] expected = {5_000, 10_000, 20_000};
    for (long delay : expected) {
      assertEquals(ls(SECOND, TRANSIENT), r.local());
      List<Action> failed = r.on(new Event.ReintegrationDone(false));
      assertTrue(
          logs(failed).toString(),
          logs(failed)
              .containsAll(
                  List.of(
                      "Reintegration failed",
                      "Next reintegration attempt in " + delay / 1000 + " s")));
      assertEquals(ls(WAIT, NOT_READY), r.local());
      r.now += delay - 1_000; // heartbeats and ticks before the delay: it waits
      assertEquals(List.of(), scripts(r.on(new Event.Tick())));
      assertEquals(List.of(), scripts(r.on(peer(PRIM, READY, 5, 5))));
      assertEquals(ls(WAIT, NOT_READY), r.local());
      r.now += 1_000;
      List<Action> again = r.on(new Event.Tick());
      assertTrue(
          scripts(again).toString(), scripts(again).contains("start_second WAIT SECOND start"));
    }
    r.on(new Event.ReintegrationDone(true));
    assertEquals(ls(SECOND, READY), r.local());
    // ended: the next failure waits 10 s again
    r.on(new Event.ReplicationLost("the primary is silent"));
    assertTrue(
        logs(r.on(new Event.ReintegrationDone(false)))
            .contains("Next reintegration attempt in 5 s"));
    assertEquals(300_000, MirrorMachine.retryDelayMillis(7));
    assertEquals(300_000, MirrorMachine.retryDelayMillis(1_000));
  }

  @Test
  public void c9_failoverOff_secondWaitsNotReady() {
    Run r = secondReady(NODE1.withFailover(false));
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertEquals(
        List.of(
            "stop_sec SECOND WAIT stopstart",
            "stop_second SECOND WAIT stopstart",
            "stop_both SECOND WAIT stopstart",
            "transition SECOND WAIT stopstart"),
        scripts(a));
    assertEquals(
        List.of(
            "Remote state UNKNOWN Unknown",
            "Failover-off configured",
            "Action stopstart called by failover-off",
            "Transition STOPSTART from failover-off",
            "Local state WAIT Transient",
            "Local state WAIT NotReady"),
        logs(a));
    // restarting the old primary restores PRIM/SECOND
    r.on(peer(PRIM, TRANSIENT, 9, 9));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
  }

  @Test
  public void c8_splitBrain_theYoungerPrimaryExitsAlone() {
    Run r = aloneReady(NODE1);
    List<Action> a = r.on(peer(ALONE, READY, 5, 5)); // its primary role began earlier
    assertEquals(
        List.of(
            "stop_prim ALONE SECOND start",
            "transition ALONE SECOND start",
            "start_second ALONE SECOND start"),
        scripts(a));
    assertEquals(
        List.of(
            "Remote state ALONE Ready",
            "Split brain recovery: exiting alone",
            "Local state SECOND Transient"),
        logs(a));
    assertFalse(r.mirror.data().uptodate());
  }

  @Test
  public void c8_splitBrain_theOlderPrimaryStaysAlone() {
    Run r = aloneReady(NODE1);
    long younger = r.mirror.data().tenure() + 1;
    List<Action> a = r.on(peer(ALONE, READY, younger, younger));
    assertEquals(List.of(), scripts(a));
    assertEquals(
        List.of("Remote state ALONE Ready", "Split brain recovery: staying alone"), logs(a));
    // the other side leaves: it shows SECOND and this node pairs as PRIM
    r.on(peer(SECOND, TRANSIENT, younger, younger));
    assertEquals(ls(PRIM, READY), r.local());
  }

  @Test
  public void c8_splitBrain_theOlderPrimaryStaysAloneWhenThePeerIsHeardOnlyLeaving() {
    Run r = aloneReady(NODE1);
    long younger = r.mirror.data().tenure() + 1;
    // the younger primary heard this node first and is already exiting alone
    List<Action> a = r.on(peer(SECOND, TRANSIENT, younger, younger));
    assertEquals(
        List.of("Remote state SECOND Transient", "Split brain recovery: staying alone"),
        logs(a).subList(0, 2));
    assertEquals(ls(PRIM, READY), r.local());
    // said once per episode
    List<Action> later = r.on(peer(SECOND, READY, younger, younger));
    assertFalse(logs(later).contains("Split brain recovery: staying alone"));
  }

  @Test
  public void aReturningSecondaryIsNoSplitBrain() {
    Run r = aloneReady(NODE1);
    long older = r.mirror.data().tenure() - 1;
    List<Action> a = r.on(peer(SECOND, TRANSIENT, older, older));
    assertFalse(logs(a).contains("Split brain recovery: staying alone"));
    // nor a secondary that starts for the first time, as primReady's
    Run fresh = aloneReady(NODE1);
    List<Action> first = fresh.on(peer(SECOND, TRANSIENT, 1, 1));
    assertEquals(ls(PRIM, READY), fresh.local());
    assertFalse(logs(first).contains("Split brain recovery: staying alone"));
  }

  @Test
  public void c10_defaultprim_swapsRightAfterReintegration() {
    Run r = Run.mirror(NODE1.withDefaultprim("node1"), Run.STALE);
    r.on(peer(PRIM, READY, 5, 5));
    r.on(cmd(Verb.START));
    List<Action> a = r.on(new Event.ReintegrationDone(true));
    assertEquals(List.of("Local state SECOND Ready", "Transition SWAP from defaultprim"), logs(a));
    assertTrue(r.mirror.swapRequested());
    // the PRIM hands over: it shows SECOND while swapping
    PeerView handing =
        new PeerView(
            PeerView.Presence.PRESENT,
            "node2",
            "",
            ls(SECOND, TRANSIENT),
            new DataFreshness(true, 5, false, true, 0, 5),
            false,
            false,
            true,
            false,
            false);
    List<Action> b = r.on(new Event.PeerChanged(handing));
    assertEquals(
        List.of(
            "stop_sec SECOND PRIM start",
            "stop_second SECOND PRIM start",
            "transition SECOND PRIM start",
            "start_prim SECOND PRIM start"),
        scripts(b));
    assertEquals(
        List.of(
            "Remote state SECOND Transient",
            "Begin of Swap",
            "Local state PRIM Transient",
            "Local state PRIM Ready"),
        logs(b));
  }

  @Test
  public void c10_swapOnThePrim_handsOverAsSecond() {
    Run r = primReady();
    r.on(peer(SECOND, READY, r.mirror.data().generation(), 1));
    List<Action> a = r.on(cmd(Verb.SWAP));
    assertEquals(
        List.of(
            "stop_prim PRIM SECOND start",
            "transition PRIM SECOND start",
            "start_second PRIM SECOND start",
            "start_sec PRIM SECOND start"),
        scripts(a));
    assertTrue(logs(a).containsAll(List.of("Action swap called by root", "Begin of Swap")));
    assertTrue(r.mirror.swapping());
  }

  @Test
  public void c10_swapNosyncOnThePrim_followsWithoutReintegration() {
    Run plain = primReady();
    plain.on(peer(SECOND, READY, plain.mirror.data().generation(), 1));
    List<Action> p = plain.on(cmd(Verb.SWAP));
    assertTrue(Run.indexOfReplication(p, Action.ReplicationOp.START_SECONDARY, "") >= 0);

    Run r = primReady();
    r.on(peer(SECOND, READY, r.mirror.data().generation(), 1));
    List<Action> a = r.on(new Event.Command(Verb.SWAP, Origin.admin("root"), "nosync"));
    assertEquals("swap nosync accepted", Run.reply(a).message());
    assertTrue(logs(a).contains("Begin of Swap (nosync)"));
    assertTrue(Run.indexOfReplication(a, Action.ReplicationOp.START_SECONDARY, "nosync") >= 0);
    assertTrue(r.mirror.swapping());
    assertTrue("the peer hears it", r.mirror.heartbeat("m", 1, 1).swapNosync());
  }

  @Test
  public void c10_swapNosyncOnTheSecond_isCarriedToThePrim() {
    Run s = Run.mirror(NODE1, Run.STALE);
    s.on(peer(PRIM, READY, 5, 5));
    s.on(cmd(Verb.START));
    s.on(new Event.ReintegrationDone(true));
    assertEquals(ls(SECOND, READY), s.local());
    List<Action> a = s.on(new Event.Command(Verb.SWAP, Origin.admin("root"), "nosync"));
    assertEquals("swap nosync accepted", Run.reply(a).message());
    HeartbeatMessage asked = s.mirror.heartbeat("m", 1, 1);
    assertTrue(asked.swapRequested() && asked.swapNosync());

    Run prim = primReady();
    PeerView asking =
        new PeerView(
            PeerView.Presence.PRESENT,
            "node2",
            "",
            ls(SECOND, READY),
            new DataFreshness(true, prim.mirror.data().generation(), false, true, 0, 1),
            false,
            true,
            false,
            false,
            true);
    List<Action> b = prim.on(new Event.PeerChanged(asking));
    assertTrue(logs(b).contains("Begin of Swap (nosync)"));
    assertTrue(Run.indexOfReplication(b, Action.ReplicationOp.START_SECONDARY, "nosync") >= 0);
  }

  @Test
  public void c10_swapWithAnUnknownArgument_isRefused() {
    Run r = primReady();
    r.on(peer(SECOND, READY, r.mirror.data().generation(), 1));
    Action.Reply refused =
        Run.reply(r.on(new Event.Command(Verb.SWAP, Origin.admin("root"), "fullsync")));
    assertFalse(refused.accepted());
    assertEquals("swap refused: unknown argument fullsync (swap [nosync])", refused.message());
    assertEquals(ls(PRIM, READY), r.local());
  }

  @Test
  public void c10_swapNosyncWithTheSecondNotReady_isRefusedAsASwap() {
    Run r = primReady(); // its secondary is still reintegrating (Transient)
    Action.Reply refused =
        Run.reply(r.on(new Event.Command(Verb.SWAP, Origin.admin("root"), "nosync")));
    assertFalse(refused.accepted());
    assertTrue(refused.message(), refused.message().startsWith("swap refused: needs PRIM Ready"));
  }

  @Test
  public void c11_primAfterAStopDuringReintegration_isAbortedThenPrimforceWorks() {
    Run r = Run.mirror(NODE1, new DataFreshness(false, 3, false, false, 0, 3));
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(cmd(Verb.PRIM));
    assertEquals(
        List.of(
            "Action prim called by root",
            "Local state WAIT Transient",
            "Data may be inconsistent for replicated directories (stopped during reintegration)",
            "If you are sure that this server has valid data, run safekit primforce to force start"
                + " as primary",
            "Requested prim start aborted",
            "Local state STOP NotReady"),
        logs(a));
    List<Action> b = r.on(cmd(Verb.PRIMFORCE));
    assertEquals(ls(ALONE, READY), r.local());
    assertEquals("Action primforce called by root", logs(b).get(0));
    assertTrue(Run.indexOfReplication(b, Action.ReplicationOp.START_PRIMARY, "fullsync") >= 0);
  }

  @Test
  public void e4_stopOfThePrim_runsStopScriptsThenForcedOnesThenPoststop() {
    Run r = primReady();
    List<Action> a = r.on(cmd(Verb.STOP));
    assertEquals(
        List.of(
            "stop_prim PRIM WAIT stop",
            "stop_both PRIM WAIT stop",
            "transition PRIM WAIT stop",
            "stop_sec force WAIT STOP stop",
            "stop_prim force WAIT STOP stop",
            "stop_second force WAIT STOP stop",
            "stop_both force WAIT STOP stop",
            "poststop WAIT STOP stop",
            "transition WAIT STOP stop"),
        scripts(a));
    assertEquals(
        List.of(
            "Action stop called by root",
            "Local state WAIT Transient",
            "Local state STOP NotReady"),
        logs(a));
    assertTrue(r.mirror.data().uptodate()); // a primary that stops cleanly stays up to date (C.5)
  }

  @Test
  public void e4_restartInSecond_keepsTheRole() {
    Run r = secondReady(NODE1);
    List<Action> a = r.on(cmd(Verb.RESTART));
    assertEquals(
        List.of(
            "stop_sec SECOND SECOND stopstart",
            "stop_second SECOND SECOND stopstart",
            "stop_both SECOND SECOND stopstart",
            "start_both SECOND SECOND stopstart",
            "start_second SECOND SECOND stopstart",
            "start_sec SECOND SECOND stopstart"),
        scripts(a));
    assertEquals(ls(SECOND, READY), r.local());
  }

  @Test
  public void c13_checkerWaitOnThePrim_andWakeup() {
    Run r = primReady();
    List<Action> a = r.on(Event.Command.of(Verb.WAIT, Origin.rule("module_failure")));
    assertEquals(
        List.of(
            "Action wait from failover rule module_failure",
            "Transition WAIT_TR from failover rule module_failure",
            "Local state WAIT Transient",
            "Local state WAIT NotReady"),
        logs(a));
    assertEquals(
        List.of(
            "stop_prim PRIM WAIT stopwait",
            "stop_both PRIM WAIT stopwait",
            "transition PRIM WAIT stopwait"),
        scripts(a));
    List<Action> b = r.on(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
    assertEquals("Action wakeup from failover rule Implicit_wakeup", logs(b).get(0));
  }

  @Test
  public void f3_forcestopOfTheSecond_onlyForcedScripts_dataNoLongerUptodate() {
    Run r = secondReady(NODE1);
    List<Action> a = r.on(cmd(Verb.FORCESTOP));
    assertTrue(a.contains(new Action.KillScripts()));
    assertEquals(
        List.of(
            "stop_sec force WAIT STOP stop",
            "stop_prim force WAIT STOP stop",
            "stop_second force WAIT STOP stop",
            "stop_both force WAIT STOP stop",
            "poststop WAIT STOP stop",
            "transition WAIT STOP stop"),
        scripts(a));
    assertEquals(LocalState.STOPPED, r.local());
    assertFalse(r.mirror.data().uptodate()); // its primary goes on without it (C.5)
  }

  @Test
  public void stopDuringATransition_preemptsAtTheNextScriptEnd() {
    Run r = Run.mirror(NODE1, Run.UPTODATE);
    r.on(peerGone("no heartbeat"));
    r.only(cmd(Verb.START)); // transition script running
    Action.Reply refused = Run.reply(r.only(cmd(Verb.SWAP)));
    assertFalse(refused.accepted());
    assertEquals(
        "swap refused: module in transition (WAIT Transient), retry when stable",
        refused.message());
    Action.Reply ok = Run.reply(r.only(cmd(Verb.STOP)));
    assertTrue(ok.accepted());
    r.on(new Event.ScriptDone(1, 0));
    assertEquals(LocalState.STOPPED, r.local());
  }

  private static int indexOfScript(List<Action> a, String name) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) instanceof Action.RunScript s && s.name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
