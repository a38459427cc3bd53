package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;
import static org.bulwark.api.module.Readiness.NOT_READY;
import static org.bulwark.api.module.Readiness.READY;
import static org.bulwark.automaton.Run.cmd;
import static org.bulwark.automaton.Run.logs;
import static org.bulwark.automaton.Run.ls;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.junit.Test;

/**
 * The commands farm and mirror share (spec F.3, B.19, B.3) behave the same on both automata; only
 * the wording that names the automaton's own states differs.
 */
public class CommandsTest {

  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");
  private static final Event MODULE_FAILURE =
      Event.Command.of(Verb.WAIT, Origin.rule("module_failure"));

  private static Run farmUp() {
    return FarmGoldenTest.up(NODE1);
  }

  private static Run mirrorAlone() {
    return MirrorGoldenTest.aloneReady(NODE1);
  }

  private static int farmLoop(Run r) {
    return r.farm.loopCount();
  }

  private static int mirrorLoop(Run r) {
    return r.mirror.loopCount();
  }

  /**
   * The failover machine gives wait again while its rule holds (spec B.19): once the module is
   * blocked, a repeated wait is accepted and does nothing, it is neither logged again nor counted
   * for maxloop (spec B.3), so a resource that stays down does not stop the module.
   */
  @Test
  public void b19_farmAndMirrorWaitRepeated_isLoggedAndCountedOnce() {
    waitRepeated("farm", CommandsTest::farmUp, CommandsTest::farmLoop, ls(UP, READY));
    waitRepeated("mirror", CommandsTest::mirrorAlone, CommandsTest::mirrorLoop, ls(ALONE, READY));
  }

  private static void waitRepeated(
      String mode, Supplier<Run> running, ToIntFunction<Run> loop, LocalState afterWakeup) {
    Run r = running.get();
    List<Action> first = r.on(MODULE_FAILURE);
    assertEquals(
        mode,
        List.of(
            "Action wait from failover rule module_failure",
            "Transition WAIT_TR from failover rule module_failure"),
        logs(first).subList(0, 2));
    assertEquals(mode, ls(WAIT, NOT_READY), r.local());
    assertEquals(mode, 1, loop.applyAsInt(r));
    for (int i = 1; i <= NODE1.maxloop() + 1; i++) {
      List<Action> again = r.on(MODULE_FAILURE);
      assertEquals(
          mode + " wait #" + (i + 1),
          List.of(new Action.Reply(Verb.WAIT, true, "wait accepted")),
          again);
      assertEquals(mode + " wait #" + (i + 1), ls(WAIT, NOT_READY), r.local());
      assertEquals(mode + " wait #" + (i + 1), 1, loop.applyAsInt(r));
    }
    List<Action> wake = r.on(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
    assertEquals(mode, "Action wakeup from failover rule Implicit_wakeup", logs(wake).get(0));
    assertEquals(mode, afterWakeup, r.local());
  }

  @Test
  public void f3_restartRefusalNamesTheRolesOfTheAutomaton() {
    Run farm = farmUp();
    farm.on(MODULE_FAILURE);
    assertRefused(
        "restart refused: module is WAIT NotReady, not UP Ready", farm.on(cmd(Verb.RESTART)));
    Run mirror = mirrorAlone();
    mirror.on(MODULE_FAILURE);
    assertRefused(
        "restart refused: module is WAIT NotReady, not ALONE/PRIM/SECOND Ready",
        mirror.on(cmd(Verb.RESTART)));
  }

  @Test
  public void f3_commandsOnAStoppedModule_farmAndMirror() {
    for (Run r : List.of(Run.farm(NODE1), Run.mirror(NODE1, Run.UPTODATE))) {
      String mode = r.farm != null ? "farm" : "mirror";
      Action.Reply stop = Run.reply(r.on(cmd(Verb.STOP)));
      assertEquals(mode, new Action.Reply(Verb.STOP, true, "module already stopped"), stop);
      assertRefused("wait refused: module is stopped", r.on(MODULE_FAILURE));
      assertRefused(
          "restart refused: module is STOP NotReady, not " + roles(r) + " Ready",
          r.on(cmd(Verb.RESTART)));
      assertRefused(
          "stopstart refused: module is stopped" + (r.farm != null ? "" : "; use start"),
          r.on(cmd(Verb.STOPSTART)));
      List<Action> wake = r.on(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
      assertEquals(mode, List.of(new Action.Reply(Verb.WAKEUP, true, "wakeup accepted")), wake);
      assertEquals(mode, LocalState.STOPPED, r.local());
      assertEquals(mode, List.of(), logs(r.on(MODULE_FAILURE)));
    }
  }

  /**
   * errd's {@code restart_services} (spec B.10): every script of the restart it asks for gets
   * {@code -Services "S1, S2"} after its three arguments (spec E.2), on both automata; the next
   * restart, which names none, passes none.
   */
  @Test
  public void b10_restartWithServices_eachScriptOfThatRestartGetsThem() {
    restartWithServices(farmUp(), "UP");
    restartWithServices(mirrorAlone(), "ALONE");
  }

  private static void restartWithServices(Run r, String role) {
    String args = role + " " + role + " stopstart";
    List<String> services = List.of("httpd", "php-fpm");
    List<Action> a = r.on(new Event.Command(Verb.RESTART, Origin.identity("errd"), "", services));
    List<String> expected = new ArrayList<>();
    for (String s :
        List.of("stop_sec", "stop_prim", "stop_both", "start_both", "start_prim", "start_sec")) {
      expected.add(s + " " + args + " -Services httpd, php-fpm");
    }
    assertEquals(role, expected, Run.scripts(a));
    assertEquals(role, ls(ModuleState.valueOf(role), READY), r.local());
    List<String> plain = Run.scripts(r.on(cmd(Verb.RESTART)));
    assertEquals(role, 6, plain.size());
    plain.forEach(line -> assertFalse(line, line.contains("-Services")));
  }

  /** A restart with services that is refused leaves nothing behind for the next transition. */
  @Test
  public void b10_refusedRestartWithServices_theNextScriptsHaveNone() {
    Run r = farmUp();
    r.on(MODULE_FAILURE);
    assertRefused(
        "restart refused: module is WAIT NotReady, not UP Ready",
        r.on(new Event.Command(Verb.RESTART, Origin.identity("errd"), "", List.of("httpd"))));
    List<Action> wake = r.on(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
    assertEquals(ls(UP, READY), r.local());
    Run.scripts(wake).forEach(line -> assertFalse(line, line.contains("-Services")));
  }

  /** Services name what a restart restarts: with any other verb the command is a bug, said so. */
  @Test
  public void b10_servicesWithAnotherVerb_failLoudly() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Event.Command(Verb.STOPSTART, Origin.identity("errd"), "", List.of("a")));
    assertEquals("services [a] go with restart only, not with stopstart", e.getMessage());
  }

  private static String roles(Run r) {
    return r.farm != null ? "UP" : "ALONE/PRIM/SECOND";
  }

  private static void assertRefused(String message, List<Action> actions) {
    Action.Reply reply = Run.reply(actions);
    assertFalse(message, reply.accepted());
    assertEquals(message, reply.message());
    assertEquals(message, List.of(), logs(actions));
  }
}
