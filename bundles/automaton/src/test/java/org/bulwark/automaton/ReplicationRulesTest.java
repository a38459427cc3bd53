package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.WAIT;
import static org.bulwark.api.module.Readiness.NOT_READY;
import static org.bulwark.api.module.Readiness.TRANSIENT;
import static org.bulwark.automaton.Run.cmd;
import static org.bulwark.automaton.Run.logs;
import static org.bulwark.automaton.Run.ls;
import static org.bulwark.automaton.Run.peer;
import static org.bulwark.automaton.Run.peerGone;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.module.Readiness;
import org.junit.Test;

/**
 * The internal rules of replication are the failover machine's (docs/failover.md "Internal rules");
 * the automaton keeps its arbitration and takes their decisions as it judges. Driven here without
 * the machine ({@link Run#withoutRules}), the rule's decision given by hand.
 */
public class ReplicationRulesTest {

  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");

  private static Event notuptodate() {
    return new Event.Command(Verb.WAIT, Origin.internalRule("notuptodate_server"), "");
  }

  @Test
  public void notuptodate_withoutTheRuleTheNodeHoldsTransient() {
    Run r = Run.mirror(NODE1, DataFreshness.NEVER_SYNCED).withoutRules();
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(ls(WAIT, TRANSIENT), r.local()); // no role: nobody to follow, no data
    assertTrue(logs(a).stream().noneMatch(l -> l.contains("notuptodate_server")));
    List<Action> w = r.on(notuptodate());
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertEquals(
        List.of(
            "Action wait from failover rule notuptodate_server",
            MirrorRules.NOT_UPTODATE_1,
            MirrorRules.NOT_UPTODATE_2,
            "Local state WAIT NotReady"),
        logs(w));
    assertEquals(0, r.mirror.loopCount()); // internal: not counted (spec B.3)
    // repeated while the rule holds: acknowledged, nothing logged
    assertTrue(logs(r.on(notuptodate())).isEmpty());
  }

  @Test
  public void notuptodate_aWaitThatComesLateDoesNotStopTheArbitration() {
    Run r = Run.mirror(NODE1, Run.STALE).withoutRules();
    r.on(cmd(Verb.START));
    // both wait; the peer, of a later generation, ranks first: this node stays Transient
    r.on(peer(WAIT, Readiness.TRANSIENT, 2, 2));
    assertEquals(ls(WAIT, TRANSIENT), r.local());
    List<Action> w = r.on(notuptodate()); // the machine read remote.rfs.uptodate before it came
    assertEquals(ls(WAIT, TRANSIENT), r.local());
    assertTrue(logs(w).isEmpty());
    r.on(peer(org.bulwark.api.module.ModuleState.PRIM, Readiness.TRANSIENT, 3, 3));
    assertEquals(SECOND, r.local().state());
  }

  @Test
  public void notuptodate_liftedByTheArbitrationWhenAPrimaryAppears() {
    Run r = Run.mirror(NODE1, Run.STALE).withoutRules();
    r.on(peerGone("no heartbeat"));
    r.on(cmd(Verb.START));
    r.on(notuptodate());
    assertEquals(ls(WAIT, NOT_READY), r.local());
    r.on(peer(org.bulwark.api.module.ModuleState.ALONE, Readiness.READY, 2, 2));
    assertEquals(SECOND, r.local().state());
  }

  private static Run syncdeltaIsolated() {
    Run r = new Run().withoutRules();
    ReplicationPolicy p =
        ReplicationPolicy.of(
            java.time.Duration.ofMinutes(10), java.util.Optional.empty(), java.time.ZoneOffset.UTC);
    r.now = 10 * 60_000;
    DataFreshness d = new DataFreshness(true, 5, false, true, r.now - 60_000, 3).afterCrash();
    r.mirror = MirrorState.initial(NODE1, d, p);
    r.on(cmd(Verb.START));
    r.on(peerGone("no heartbeat"));
    return r;
  }

  private static Event forceUptodate(String by) {
    return new Event.ResourceSet("rfs.uptodate", "up", by);
  }

  @Test
  public void forceuptodate_theRulesAssignmentStartsTheNodeAlone() {
    Run r = syncdeltaIsolated();
    assertEquals(ls(WAIT, TRANSIENT), r.local()); // held for data, the rules not heard yet
    List<Action> a = r.on(forceUptodate("failover rule rfs_forceuptodate"));
    assertEquals(
        "Resource rfs.uptodate set to up by failover rule rfs_forceuptodate", logs(a).get(0));
    assertEquals(org.bulwark.api.module.ModuleState.ALONE, r.local().state());
  }

  @Test
  public void forceuptodate_notTakenFromAnotherSetterNorInACheckersWait() {
    Run r = syncdeltaIsolated();
    assertTrue(logs(r.on(forceUptodate("root"))).isEmpty()); // safekit set is no rule
    assertEquals(ls(WAIT, TRANSIENT), r.local());
    r.on(new Event.Command(Verb.WAIT, Origin.rule("p_gw"), ""));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    // blocked by a checker: a flag set now would be trusted at a later start, out of the window
    assertTrue(logs(r.on(forceUptodate("failover rule rfs_forceuptodate"))).isEmpty());
    assertEquals(false, r.mirror.data().uptodate());
  }

  private static Run syncat(DataFreshness d) {
    Run r = new Run().withoutRules();
    ReplicationPolicy p =
        ReplicationPolicy.of(
            java.time.Duration.ZERO, java.util.Optional.of("0 3 * * *"), java.time.ZoneOffset.UTC);
    r.mirror = MirrorState.initial(NODE1, d, p);
    r.on(new Event.Tick()); // rfs.syncat down
    r.on(cmd(Verb.START));
    return r;
  }

  @Test
  public void syncat_holdBeforeTheRoleDecision_facingAPrimary() {
    Run r = syncat(Run.STALE);
    List<Action> a = r.on(peer(org.bulwark.api.module.ModuleState.PRIM, Readiness.READY, 5, 5));
    assertEquals(ls(WAIT, NOT_READY), r.local()); // no SECOND outside the window
    assertEquals(Block.NONE, r.mirror.block()); // and no wait of its own: the rule's comes next
    assertTrue(Run.scripts(a).isEmpty());
    r.on(new Event.Command(Verb.WAIT, Origin.internalRule("rfs_syncat_wait"), ""));
    assertEquals(Block.RESOURCE, r.mirror.block());
    assertEquals(0, r.mirror.loopCount());
    r.on(new Event.ResourceSet("rfs.syncat", "up", "root"));
    assertEquals(ls(WAIT, NOT_READY), r.local()); // the rule's wait holds until its wakeup
    r.on(new Event.Command(Verb.WAKEUP, Origin.internalRule("Implicit_wakeup"), ""));
    assertEquals(SECOND, r.local().state());
  }

  @Test
  public void syncat_theNodeThatRanksFirstStartsAloneFacingAHeldPeer() {
    // this node, of the later generation, ranks first; its peer is held NotReady for its window
    Run r = syncat(new DataFreshness(false, 7, true, true, 0, 7));
    r.on(peer(WAIT, NOT_READY, 5, 5));
    assertEquals(org.bulwark.api.module.ModuleState.ALONE, r.local().state());
  }

  @Test
  public void syncat_noHoldForAPrimStart() {
    Run r = new Run().withoutRules();
    ReplicationPolicy p =
        ReplicationPolicy.of(
            java.time.Duration.ZERO, java.util.Optional.of("0 3 * * *"), java.time.ZoneOffset.UTC);
    r.mirror = MirrorState.initial(NODE1, Run.STALE, p);
    r.on(new Event.Tick());
    r.on(peerGone("no heartbeat"));
    r.on(cmd(Verb.PRIM));
    assertEquals(org.bulwark.api.module.ModuleState.ALONE, r.local().state());
  }
}
