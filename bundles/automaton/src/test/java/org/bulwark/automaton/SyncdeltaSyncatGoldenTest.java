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

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

/**
 * Golden scenarios of syncdelta (spec C.6, C.5 "double power outage": rule {@code
 * rfs_forceuptodate}, resource {@code rfs.synced}) and syncat (spec C.12: rule {@code
 * rfs_syncat_wait}, resource {@code rfs.syncat}). Time is the test's clock ({@link Run#now}).
 */
public class SyncdeltaSyncatGoldenTest {

  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");
  private static final long MIN = 60_000;
  private static final long T0 = Instant.parse("2026-12-04T02:00:00Z").toEpochMilli();

  private static ReplicationPolicy syncdelta(long minutes) {
    return ReplicationPolicy.of(Duration.ofMinutes(minutes), Optional.empty(), ZoneOffset.UTC);
  }

  /** A node that crashed (double power outage) after its last synchronisation {@code ago} ms. */
  private static Run afterOutage(ReplicationPolicy p, long ago, boolean consistent) {
    Run r = new Run();
    r.now = T0;
    DataFreshness synced = new DataFreshness(true, 5, false, consistent, T0 - ago, 3);
    r.mirror = MirrorState.initial(NODE1, synced.afterCrash(), p);
    return r;
  }

  private static List<String> resources(List<Action> a, String name) {
    return a.stream()
        .filter(x -> x instanceof Action.SetResource s && s.name().equals(name))
        .map(x -> ((Action.SetResource) x).value() + " by " + ((Action.SetResource) x).by())
        .toList();
  }

  // ---- syncdelta ----

  @Test
  public void c6_syncdeltaOfOneMinuteOrLessIsIgnored() {
    long[][] rows = {{0, 0}, {1, 0}, {2, 2 * MIN}, {10, 10 * MIN}};
    for (long[] row : rows) {
      assertEquals("syncdelta " + row[0] + "m", row[1], syncdelta(row[0]).syncdeltaMillis());
    }
    assertEquals(
        0,
        ReplicationPolicy.of(Duration.ofSeconds(60), Optional.empty(), ZoneOffset.UTC)
            .syncdeltaMillis());
  }

  @Test
  public void c5_doubleOutage_restartWithinSyncdelta_goesAlone() {
    Run r = afterOutage(syncdelta(10), 4 * MIN, true);
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(ls(WAIT, TRANSIENT), r.local()); // the peer is not decided yet
    assertEquals(List.of("up by syncedcheck"), resources(a, "rfs.synced"));
    r.now += 30_000; // heartbeat timeout: every lan down, the peer unknown
    List<Action> b = r.on(peerGone("no heartbeat"));
    assertEquals(ls(ALONE, READY), r.local());
    assertEquals(
        List.of(
            "Resource rfs.uptodate set to up by failover rule rfs_forceuptodate",
            "Data considered uptodate: last synchronization 270 s ago, within syncdelta (600 s),"
                + " and no heartbeat from the remote server",
            "Local state ALONE Transient",
            "Local state ALONE Ready"),
        logs(b));
    assertEquals("up by rfs_forceuptodate", resources(b, "rfs.uptodate").get(0));
    assertEquals(
        List.of(
            "transition WAIT ALONE start",
            "start_both WAIT ALONE start",
            "start_prim WAIT ALONE start",
            "start_sec WAIT ALONE start"),
        scripts(b));
    assertTrue(r.mirror.data().uptodate());
  }

  @Test
  public void c5_doubleOutage_restartBeyondSyncdelta_waits() {
    Run r = afterOutage(syncdelta(10), 11 * MIN, true);
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(List.of("down by syncedcheck"), resources(a, "rfs.synced"));
    List<Action> b = r.on(peerGone("no heartbeat"));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertTrue(logs(b).contains("Action wait from failover rule notuptodate_server"));
    assertFalse(String.join("\n", logs(b)).contains("rfs_forceuptodate"));
  }

  @Test
  public void c6_theWindowClosesWhileTheNodeWaitsForItsPeer() {
    Run r = afterOutage(syncdelta(10), 9 * MIN, true);
    r.on(cmd(Verb.START));
    r.now += 61_000; // 10 min 1 s since the last synchronisation
    List<Action> t = r.on(new Event.Tick());
    assertEquals(List.of("down by syncedcheck"), resources(t, "rfs.synced"));
    r.on(peerGone("no heartbeat"));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertFalse(r.mirror.data().uptodate());
  }

  @Test
  public void c6_aPeerThatStoppedIsNotAClusterDown() {
    Run r = afterOutage(syncdelta(10), 1 * MIN, true);
    r.on(cmd(Verb.START));
    List<Action> b = r.on(peerGone("remote stop"));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertFalse(String.join("\n", logs(b)).contains("rfs_forceuptodate"));
  }

  @Test
  public void c11_dataStoppedDuringReintegrationAreNeverSynced() {
    Run r = afterOutage(syncdelta(10), 1 * MIN, false);
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(List.of("down by syncedcheck"), resources(a, "rfs.synced"));
    r.on(peerGone("no heartbeat"));
    assertEquals(ls(WAIT, NOT_READY), r.local());
  }

  @Test
  public void c6_withoutSyncdeltaTheDoubleOutageWaits() {
    Run r = afterOutage(ReplicationPolicy.NONE, 1 * MIN, true);
    List<Action> a = r.on(cmd(Verb.START));
    assertTrue(resources(a, "rfs.synced").isEmpty());
    r.on(peerGone("no heartbeat"));
    assertEquals(ls(WAIT, NOT_READY), r.local());
  }

  @Test
  public void c6_theUpToDatePeerStillWinsWhenItAnswers() {
    Run r = afterOutage(syncdelta(10), 1 * MIN, true);
    r.on(cmd(Verb.START));
    r.on(peer(ALONE, READY, 9, 9));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
  }

  // ---- syncat ----

  private static Run syncatSecondary(String cron) {
    Run r = new Run();
    r.now = T0;
    ReplicationPolicy p = ReplicationPolicy.of(Duration.ZERO, Optional.of(cron), ZoneOffset.UTC);
    r.mirror = MirrorState.initial(NODE1, Run.STALE, p);
    List<Action> first = r.on(new Event.Tick());
    assertEquals(List.of("down by syncat"), resources(first, "rfs.syncat"));
    r.on(peer(PRIM, READY, 5, 5));
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertTrue(logs(a).contains("Action wait from failover rule rfs_syncat_wait"));
    assertFalse(scripts(a).contains("start_second WAIT SECOND start"));
    return r;
  }

  @Test
  public void c12_syncat_theSecondarySynchronisesAtTheScheduledTimeOnly() {
    Run r = syncatSecondary("0 3 * * *");
    r.now = T0 + 59 * MIN; // 02:59: not yet
    assertTrue(resources(r.on(new Event.Tick()), "rfs.syncat").isEmpty());
    assertEquals(ls(WAIT, NOT_READY), r.local());

    r.now = T0 + 60 * MIN; // 03:00
    List<Action> at = r.on(new Event.Tick());
    assertEquals(List.of("up by syncat"), resources(at, "rfs.syncat"));
    assertEquals(
        List.of(
            "Resource rfs.syncat set to up by syncat",
            "Action wakeup from failover rule Implicit_wakeup",
            "Local state WAIT Transient",
            "Local state SECOND Transient"),
        logs(at));
    assertEquals(ls(SECOND, TRANSIENT), r.local());

    List<Action> done = r.on(new Event.ReintegrationDone(true));
    assertEquals(List.of("down by reintegre"), resources(done, "rfs.syncat"));
    assertEquals(
        List.of(
            "Resource rfs.syncat set to down by reintegre",
            "Local state SECOND Ready",
            "Action wait from failover rule rfs_syncat_wait",
            "Transition WAIT_TR from failover rule rfs_syncat_wait",
            "Local state WAIT Transient",
            "Local state WAIT NotReady"),
        logs(done));
    assertEquals(
        List.of(
            "stop_sec SECOND WAIT stopwait",
            "stop_second SECOND WAIT stopwait",
            "stop_both SECOND WAIT stopwait",
            "transition SECOND WAIT stopwait"),
        scripts(done));
    // the primary writes on without it: not up to date until the next synchronisation
    assertFalse(r.mirror.data().uptodate());
    assertEquals(0, r.mirror.loopCount()); // a scheduled wait is no error (maxloop)

    r.now = T0 + 24 * 60 * MIN; // the next day, 02:00: still waiting
    r.on(new Event.Tick());
    assertEquals(ls(WAIT, NOT_READY), r.local());
    r.now = T0 + 25 * 60 * MIN; // 03:00 again
    r.on(new Event.Tick());
    assertEquals(ls(SECOND, TRANSIENT), r.local());
  }

  @Test
  public void c12_syncat_setUpByTheAdministratorSynchronisesNow() {
    Run r = syncatSecondary("0 3 * * *");
    List<Action> a = r.on(new Event.ResourceSet("rfs.syncat", "up", "root"));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
    assertTrue(logs(a).contains("Action wakeup from failover rule Implicit_wakeup"));
  }

  @Test
  public void c12_syncat_thePrimaryIgnoresTheSchedule() {
    Run r = new Run();
    r.now = T0;
    ReplicationPolicy p =
        ReplicationPolicy.of(Duration.ZERO, Optional.of("*/5 * * * *"), ZoneOffset.UTC);
    r.mirror = MirrorState.initial(NODE1, Run.UPTODATE, p);
    r.on(new Event.Tick());
    r.on(peerGone("no heartbeat"));
    r.on(cmd(Verb.START));
    assertEquals(ls(ALONE, READY), r.local());
    r.now += 5 * MIN;
    assertTrue(resources(r.on(new Event.Tick()), "rfs.syncat").isEmpty());
    // its secondary, sitting in WAIT between synchronisations, does not make it leave ALONE
    r.on(peer(WAIT, NOT_READY, 1, 1));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void c12_syncat_whenThePrimaryFailsTheWaitingNodeIsNotUptodate() {
    Run r = syncatSecondary("0 3 * * *");
    List<Action> a = r.on(peerGone("no heartbeat"));
    // the machine's wait goes on, for the data now: no wakeup in between (spec B.19: wakeup when
    // no wait rule holds), the reason logged as notuptodate_server's
    assertFalse(logs(a).contains("Action wakeup from failover rule Implicit_wakeup"));
    assertTrue(logs(a).contains("Action wait from failover rule notuptodate_server"));
    assertTrue(logs(a).contains(MirrorRules.NOT_UPTODATE_1));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertEquals(Block.NOT_UPTODATE, r.mirror.block());
  }

  /**
   * Both nodes start together, the peer ranks first (spec C.12 with C.2): this node holds WAIT
   * NotReady before any role is decided, so the peer starts ALONE, never PRIM; the rule's wait
   * follows once the peer is ALONE. Without the hold the peer would start PRIM and then leave it
   * for ALONE ("Action alone called by heart: remote stop") when the wait came.
   */
  @Test
  public void c12_syncat_waitFacingWait_thePeerStartsAloneAndTheRuleWaitsFollows() {
    Run r = new Run();
    r.now = T0;
    ReplicationPolicy p =
        ReplicationPolicy.of(Duration.ZERO, Optional.of("0 3 * * *"), ZoneOffset.UTC);
    r.mirror = MirrorState.initial(NODE1, Run.STALE, p);
    r.on(new Event.Tick());
    r.on(cmd(Verb.START));
    List<Action> both = r.on(peer(WAIT, TRANSIENT, 5, 5)); // later generation: it ranks first
    assertEquals(ls(WAIT, NOT_READY), r.local()); // held: no role, no wait of its own yet
    assertFalse(String.join("\n", logs(both)).contains("rfs_syncat_wait"));
    List<Action> alone = r.on(peer(ALONE, TRANSIENT, 6, 6));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertEquals(
        List.of(
            "Remote state ALONE Transient",
            "Action wait from failover rule rfs_syncat_wait",
            "Transition WAIT_TR from failover rule rfs_syncat_wait"),
        logs(alone));
    assertEquals(Block.RESOURCE, r.mirror.block());
    assertEquals(0, r.mirror.loopCount()); // internal: maxloop does not count it
    // at the scheduled time the wait is lifted and the node follows the primary
    r.now = T0 + 60 * MIN;
    r.on(new Event.Tick());
    assertEquals(ls(SECOND, TRANSIENT), r.local());
  }

  @Test
  public void c12_syncatAndSyncdelta_aRecentSynchronisationMayTakeOver() {
    Run r = new Run();
    r.now = T0;
    ReplicationPolicy p =
        ReplicationPolicy.of(Duration.ofMinutes(30), Optional.of("0 3 * * *"), ZoneOffset.UTC);
    r.mirror = MirrorState.initial(NODE1, Run.STALE, p);
    r.on(new Event.Tick());
    r.on(peer(PRIM, READY, 5, 5));
    r.on(cmd(Verb.START));
    r.now = T0 + 60 * MIN;
    r.on(new Event.Tick());
    r.on(new Event.ReintegrationDone(true));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    r.now += 10 * MIN; // the primary dies 10 min after the synchronisation
    r.on(peerGone("no heartbeat"));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void driverWakesUpForTheScheduleAndTheEndOfTheWindow() {
    ReplicationPolicy p =
        ReplicationPolicy.of(Duration.ofMinutes(10), Optional.of("0 3 * * *"), ZoneOffset.UTC);
    DataFreshness d = new DataFreshness(false, 5, false, true, T0 - 4 * MIN, 3);
    MirrorDriver drv =
        new MirrorDriver(
            "m", NODE1, HeartConfig.of(HeartConfig.DEFAULT_PULSE, 60 * MIN, "0"), d, p, 1, T0);
    drv.tick(T0);
    // synced until T0 + 6 min, then the 03:00 schedule; the heartbeat timeout is later
    assertEquals(T0 + 6 * MIN, drv.nextWakeup());
    drv.tick(T0 + 6 * MIN);
    assertEquals(T0 + 60 * MIN, drv.nextWakeup());
  }
}
