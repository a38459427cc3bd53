package org.bulwark.checker.errd.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.checker.internal.CheckerExecutor;
import org.bulwark.checker.testing.RecordingTarget;
import org.bulwark.checker.testing.Userconfigs;
import org.bulwark.proc.internal.ProcFs;
import org.junit.After;
import org.junit.Test;

/**
 * errd on this machine's process table: a process of the test, killed, makes errd log the guide's
 * lines and restart the module (spec B.10, user guide 4.4.1); too many instances are counted.
 */
public class ErrdCheckerTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final LocalState PRIM = LocalState.of(ModuleState.PRIM, Readiness.READY);

  // a sleep length no other process on the machine is likely to have, to match on
  private final String seconds = String.valueOf(400_000 + new Random().nextInt(100_000));
  private final List<Process> started = new ArrayList<>();
  private final CheckerExecutor executor = new CheckerExecutor();
  private final RecordingTarget target = new RecordingTarget();

  @After
  public void cleanUp() throws Exception {
    executor.deactivate();
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process sleeper() throws Exception {
    Process p = new ProcessBuilder("sleep", seconds).start();
    started.add(p);
    return p;
  }

  private CheckerSession open(String procAttributes) {
    CheckerContext context =
        Userconfigs.context(
            "<user/><errd polltimer=\"1\"><proc name=\"sleep\" argregex=\"^sleep "
                + seconds
                + "$\" "
                + procAttributes
                + "/></errd>",
            Path.of("bin"));
    ErrdChecker errd = new ErrdChecker(new ProcFs());
    executor.addProvider(errd);
    return executor.open(context, target);
  }

  @Test
  public void aKilledProcessIsReportedAndTheModuleRestarted() throws Exception {
    Process app = sleeper();
    try (CheckerSession s = open("atleast=\"1\" action=\"restart\" class=\"prim\"")) {
      s.state(PRIM);
      target.awaitLine("Resource proc.sleep set to up by errd", LIMIT);
      app.destroyForcibly();
      app.waitFor(10, TimeUnit.SECONDS);
      target.awaitLine("Action restart called by errd", LIMIT);
      List<String> lines = target.lines();
      int message = lines.indexOf("Process sleep not running");
      assertTrue(lines.toString(), message > 0);
      assertEquals(
          List.of(
              "Process sleep not running",
              "Resource proc.sleep set to down by errd",
              "Action restart called by errd"),
          lines.subList(message, message + 3));
    }
  }

  @Test
  public void tooManyInstancesAreDown() throws Exception {
    sleeper();
    try (CheckerSession s = open("atleast=\"-1\" atmax=\"1\" action=\"noaction\" class=\"prim\"")) {
      s.state(PRIM);
      target.awaitLine("Resource proc.sleep set to up by errd", LIMIT);
      sleeper();
      target.awaitLine("Process sleep running 2 times, more than atmax 1", LIMIT);
      target.awaitLine("Resource proc.sleep set to down by errd", LIMIT);
    }
  }

  @Test
  public void aUserClassRunsOnlyOnceEnabled() throws Exception {
    try (CheckerSession s = open("action=\"stopstart\" class=\"nightly\"")) {
      s.state(PRIM);
      assertEquals(List.of("proc.sleep class=nightly stopped init"), s.list());
      assertTrue(s.enable("nightly", true));
      target.awaitLine("Action stopstart called by errd", LIMIT);
    }
  }

  @Test
  public void theWatchOfAProc() {
    CheckerContext context =
        Userconfigs.context(
            "<user/><errd polltimer=\"30\"><proc name=\"postgres\" atleast=\"1\""
                + " action=\"stop\" class=\"both\" start_after=\"3\"/></errd>",
            Path.of("bin"));
    Watch w = new ErrdChecker(List::of).checks(context).get(0);
    assertEquals("proc.postgres", w.resource());
    assertEquals("both", w.phase());
    assertEquals(Duration.ofSeconds(30), w.interval());
    assertEquals(ErrdChecker.MAX_TIMEOUT, w.timeout());
    assertEquals(Duration.ofSeconds(60), w.firstDelay());
    assertEquals("stop", w.reaction().orElseThrow().action());
    assertTrue(w.errd());
  }

  /** restart_services (spec B.10): the restart's reaction carries the services, in order. */
  @Test
  public void theRestartOfAServiceNamesItsRestartServices() {
    CheckerContext context =
        Userconfigs.context(
            "<user/><errd><proc name=\"httpd\" service=\"yes\" action=\"restart\""
                + " restart_services=\"httpd, php-fpm\" class=\"prim\"/></errd>",
            Path.of("bin"));
    Watch.Reaction r = new ErrdChecker(List::of).checks(context).get(0).reaction().orElseThrow();
    assertEquals("restart", r.action());
    assertEquals(List.of("httpd", "php-fpm"), r.services());
  }
}
