package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;
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
import org.junit.Test;

/** A mirror with {@code <splitbrain>}: the witness decides who goes ALONE (spec B.18, C.8). */
public class SplitBrainWitnessTest {

  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");
  private static final String WAIT_RULE = "Action wait from failover rule splitbrain_failure";

  private static Run witnessed(Run r) {
    r.mirror = r.mirror.withWitness(true);
    return r;
  }

  private static Run primReady() {
    Run r = witnessed(Run.mirror(NODE1, Run.UPTODATE));
    r.on(peerGone("no heartbeat"));
    r.on(cmd(Verb.START));
    r.on(peer(SECOND, TRANSIENT, 1, 1));
    assertEquals(ls(PRIM, READY), r.local());
    return r;
  }

  private static Run secondReady() {
    Run r = witnessed(Run.mirror(NODE1, Run.STALE));
    r.on(peer(PRIM, READY, 5, 5));
    r.on(cmd(Verb.START));
    r.on(new Event.ReintegrationDone(true));
    assertEquals(ls(SECOND, READY), r.local());
    return r;
  }

  private static List<String> resources(List<Action> a) {
    return a.stream()
        .filter(x -> x instanceof Action.SetResource s && s.name().startsWith("splitbrain."))
        .map(x -> ((Action.SetResource) x).name() + "=" + ((Action.SetResource) x).value())
        .toList();
  }

  private static int asked(List<Action> a) {
    return (int) a.stream().filter(x -> x instanceof Action.AskWitness).count();
  }

  @Test
  public void theStartSaysTheDataIsUptodateForTheWitnessRule() {
    Run r = witnessed(Run.mirror(NODE1, Run.UPTODATE));
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(List.of("splitbrain.uptodate=up"), resources(a));
    assertEquals(0, asked(a)); // WAIT -> ALONE at start asks nobody
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void aStartAtBootSaysItToo() {
    Run r = witnessed(Run.mirror(NODE1, Run.UPTODATE));
    r.on(peerGone("no heartbeat"));
    List<Action> a = r.on(Event.Command.of(Verb.START, Origin.boot()));
    assertEquals(List.of("splitbrain.uptodate=up"), resources(a));
  }

  @Test
  public void aStopstartOfACheckerDoesNotEndTheWait() {
    Run r = primReady();
    r.witnessReached = false;
    r.on(peerGone("no heartbeat"));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    List<Action> a = r.on(Event.Command.of(Verb.STOPSTART, Origin.identity("errd")));
    assertEquals(List.of(), resources(a));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    // nor does a wakeup while splitbrain.uptodate is down
    r.on(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertEquals(Block.RESOURCE, r.mirror.block());
  }

  @Test
  public void primaryReachingTheWitnessGoesAlone() {
    Run r = primReady();
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertEquals(1, asked(a));
    List<String> logs = logs(a);
    assertTrue(logs.toString(), logs.contains("Action alone called by heart: no heartbeat"));
    assertFalse(logs.contains(WAIT_RULE));
    assertEquals(ls(ALONE, READY), r.local());
    assertTrue(r.mirror.data().uptodate());
  }

  @Test
  public void theQuestionComesBeforeAnyScriptAndTheAloneLine() {
    Run r = primReady();
    List<Action> a = r.only(peerGone("no heartbeat"));
    assertEquals(1, asked(a));
    assertEquals(List.of(), scripts(a));
    assertFalse(logs(a).contains("Action alone called by heart: no heartbeat"));
    assertEquals(ls(PRIM, READY), r.local()); // nothing changes before the answer
  }

  @Test
  public void primaryNotReachingTheWitnessWaitsUntilHeartbeatsReturn() {
    Run r = primReady();
    r.witnessReached = false;
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertEquals(List.of("splitbrain.uptodate=down"), resources(a));
    List<String> logs = logs(a);
    assertTrue(logs.toString(), logs.contains(WAIT_RULE));
    assertFalse(logs.contains("Action alone called by heart: no heartbeat"));
    assertEquals(
        List.of(
            "stop_prim PRIM WAIT stopwait",
            "stop_both PRIM WAIT stopwait",
            "transition PRIM WAIT stopwait"),
        scripts(a));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertFalse(r.mirror.data().uptodate());
    // time passes, still nobody heard: it stays
    r.now += 60_000;
    r.on(new Event.Tick());
    assertEquals(ls(WAIT, NOT_READY), r.local());
    // the peer that reached the witness is heard again, ALONE: this node follows it
    List<Action> healed = r.on(peer(ALONE, READY, 9, 9));
    assertEquals(List.of("splitbrain.uptodate=up"), resources(healed));
    assertEquals(ls(SECOND, TRANSIENT), r.local());
  }

  @Test
  public void secondaryReachingTheWitnessTakesOver() {
    Run r = secondReady();
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertEquals(1, asked(a));
    assertTrue(logs(a).contains("Action alone called by heart: no heartbeat"));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void secondaryNotReachingTheWitnessWaitsAndAnAdministratorMayForcePrim() {
    Run r = secondReady();
    r.witnessReached = false;
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertTrue(logs(a).contains(WAIT_RULE));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertFalse(r.mirror.data().uptodate());
    r.on(cmd(Verb.STOP));
    assertEquals(STOP, r.local().state());
    List<Action> prim = r.on(cmd(Verb.PRIM));
    assertEquals(List.of("splitbrain.uptodate=up"), resources(prim));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void aPeerHeardAgainBeforeTheAnswerCancelsTheQuestion() {
    Run r = primReady();
    List<Action> a = r.only(peerGone("no heartbeat"));
    long token =
        a.stream()
            .filter(x -> x instanceof Action.AskWitness)
            .mapToLong(x -> ((Action.AskWitness) x).token())
            .findFirst()
            .orElseThrow();
    r.only(peer(SECOND, READY, 1, 1));
    List<Action> answer = r.on(new Event.ScriptDone(token, 1));
    assertFalse(logs(answer).contains(WAIT_RULE));
    assertEquals(ls(PRIM, READY), r.local());
  }

  @Test
  public void aPeerHeardStoppingNeedsNoWitness() {
    Run r = primReady();
    List<Action> a = r.on(peer(STOP, NOT_READY, 1, 1));
    assertEquals(0, asked(a));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void withoutSplitbrainNobodyIsAsked() {
    Run r = Run.mirror(NODE1, Run.UPTODATE);
    r.on(peerGone("no heartbeat"));
    r.on(cmd(Verb.START));
    r.on(peer(SECOND, TRANSIENT, 1, 1));
    List<Action> a = r.on(peerGone("no heartbeat"));
    assertEquals(0, asked(a));
    assertEquals(List.of(), resources(a));
    assertEquals(ls(ALONE, READY), r.local());
  }
}
