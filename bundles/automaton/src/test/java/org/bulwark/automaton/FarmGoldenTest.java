package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;
import static org.bulwark.api.module.Readiness.NOT_READY;
import static org.bulwark.api.module.Readiness.READY;
import static org.bulwark.automaton.Run.cmd;
import static org.bulwark.automaton.Run.logs;
import static org.bulwark.automaton.Run.ls;
import static org.bulwark.automaton.Run.scripts;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.module.LocalState;
import org.junit.Test;

/** Golden scenarios of the farm/light automaton (spec D.1, E.4) and of maxloop (spec B.3). */
public class FarmGoldenTest {

  private static final ServiceSettings NODE = ServiceSettings.defaults("node1");
  private static final Event ERRD_RESTART = Event.Command.of(Verb.RESTART, Origin.identity("errd"));

  static Run up(ServiceSettings s) {
    Run r = Run.farm(s);
    r.on(cmd(Verb.START));
    assertEquals(ls(UP, READY), r.local());
    return r;
  }

  @Test
  public void d1_start_reachesUpReadyAfterStartBoth() {
    Run r = Run.farm(NODE);
    List<Action> a = r.on(cmd(Verb.START));
    assertEquals(
        List.of(
            "transition STOP WAIT start",
            "prestart STOP WAIT start",
            "transition WAIT UP start",
            "start_both WAIT UP start",
            "start_prim WAIT UP start",
            "start_sec WAIT UP start"),
        scripts(a));
    assertEquals(
        List.of(
            "Action start called by root",
            "Local state WAIT Transient",
            "Local state UP Transient",
            "Local state UP Ready"),
        logs(a));
    assertTrue(Run.indexOfVip(a, true) >= 0);
    assertTrue(r.local().isHealthy());
  }

  @Test
  public void d1_stop_runsStopBothThenTheForcedStops() {
    Run r = up(NODE);
    List<Action> a = r.on(cmd(Verb.STOP));
    assertEquals(
        List.of(
            "stop_sec UP WAIT stop",
            "stop_prim UP WAIT stop",
            "stop_both UP WAIT stop",
            "transition UP WAIT stop",
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
  }

  @Test
  public void b3_maxloop_theFourthErrorStopsTheModule() {
    Run r = up(NODE);
    for (int i = 1; i <= 3; i++) {
      List<Action> a = r.on(ERRD_RESTART);
      assertEquals("restart " + i, ls(UP, READY), r.local());
      assertEquals("Action restart called by errd", logs(a).get(0));
    }
    List<Action> a = r.on(ERRD_RESTART);
    assertEquals(
        List.of(
            "Action restart called by errd",
            "Action stop called by maxloop",
            "Local state WAIT Transient",
            "Local state STOP NotReady"),
        logs(a));
    assertEquals(LocalState.STOPPED, r.local());
  }

  @Test
  public void b3_adminCommandResetsTheCounter_andTheIntervalExpires() {
    Run r = up(NODE);
    r.on(ERRD_RESTART);
    r.on(ERRD_RESTART);
    r.on(ERRD_RESTART);
    r.on(cmd(Verb.RESTART)); // without -i: resets
    assertEquals(0, r.farm.loopCount());
    r.on(ERRD_RESTART);
    r.on(ERRD_RESTART);
    r.on(ERRD_RESTART);
    r.now += ServiceSettings.DAY_MILLIS; // loop_interval passed
    r.on(new Event.Tick());
    r.on(ERRD_RESTART);
    assertEquals(ls(UP, READY), r.local());
    assertEquals(1, r.farm.loopCount());
  }

  @Test
  public void b3_loopIntervalZeroDisablesTheCounter() {
    Run r = up(NODE.withLoop(3, 0));
    for (int i = 0; i < 6; i++) {
      r.on(ERRD_RESTART);
    }
    assertEquals(ls(UP, READY), r.local());
  }

  @Test
  public void d1_waitRuleBlocksUntilWakeup() {
    Run r = up(NODE);
    r.on(Event.Command.of(Verb.WAIT, Origin.rule("interface_failure")));
    assertEquals(ls(WAIT, NOT_READY), r.local());
    assertEquals(Block.RESOURCE, r.farm.block());
    List<Action> a = r.on(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
    assertEquals("Action wakeup from failover rule Implicit_wakeup", logs(a).get(0));
    assertEquals(ls(UP, READY), r.local());
  }

  @Test
  public void mirrorCommandsAreRefusedClearly() {
    Run r = up(NODE);
    for (Verb v : List.of(Verb.PRIM, Verb.SECOND, Verb.SWAP, Verb.PRIMFORCE, Verb.FAILOVER_OFF)) {
      Action.Reply reply = Run.reply(r.on(cmd(v)));
      assertFalse(reply.accepted());
      assertEquals(
          v.word() + " refused: it is a mirror command and this module is not a mirror",
          reply.message());
    }
    assertEquals(ls(UP, READY), r.local());
  }

  @Test
  public void stopstart_startsAgainAutomatically() {
    Run r = up(NODE);
    List<Action> a = r.on(cmd(Verb.STOPSTART));
    assertTrue(logs(a).contains("Action start called automatically"));
    assertEquals(ls(UP, READY), r.local());
  }
}
