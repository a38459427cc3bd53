package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.FarmDriver;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.Verb;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A farm module on one node with real scripts (issue 4): start reaches UP Ready through the scripts
 * of spec E.4, stop runs stop_both then its forced call, a hanging stop script is killed with its
 * process group after nicestoptimeout, exit codes are logged, maxloop stops the module on the 4th
 * error with the defaults.
 */
public class FarmModuleTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final MemoryStore store = new MemoryStore();
  private ScheduledExecutorService timers;
  private Path bin;
  private Path var;
  private Path trace;
  private ModuleRuntime module;

  @Before
  public void setUp() throws IOException {
    timers = Executors.newSingleThreadScheduledExecutor();
    bin = tmp.newFolder("bin").toPath();
    var = tmp.newFolder("var").toPath();
    trace = tmp.getRoot().toPath().resolve("trace");
    for (String s : List.of("prestart", "transition", "start_both", "stop_both", "poststop")) {
      script(s, "echo \"$0 $*\" | sed 's#.*/##' >> " + trace + "\necho output of " + s + "\n");
    }
  }

  @After
  public void tearDown() {
    if (module != null) {
      module.close(Duration.ofSeconds(20));
    }
    timers.shutdownNow();
  }

  private void script(String name, String body) throws IOException {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private ModuleRuntime module(int maxloop, Duration niceStop) {
    Clock clock = Clock.systemUTC();
    ScriptRunner runner = new ScriptRunner(bin, var, Map.of("SAFEMODULE", "farm"), true, true);
    FarmDriver driver =
        new FarmDriver(
            ServiceSettings.defaults("node1").withLoop(maxloop, ServiceSettings.DAY_MILLIS));
    module =
        new ModuleRuntime(
            "farm",
            1,
            ModuleKind.FARM,
            ServiceConfig.Boot.IGNORE,
            driver,
            runner,
            niceStop,
            Duration.ofSeconds(5),
            new Journal("farm", store, store, clock, new JournalWriter("test-journal", 1000)),
            clock,
            timers);
    return module;
  }

  private LocalState await(ModuleState state, Readiness readiness) throws Exception {
    return module
        .await(s -> s.state() == state && s.readiness() == readiness)
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private List<String> trace() throws IOException {
    return Files.exists(trace) ? Files.readAllLines(trace) : List.of();
  }

  @Test
  public void startRunsTheScriptsOfE4AndReachesUpReady() throws Exception {
    module(3, Duration.ofSeconds(5));
    Action.Reply reply = module.command(Verb.START, Origin.admin("root"), "").get();
    assertTrue(reply.message(), reply.accepted());
    await(ModuleState.UP, Readiness.READY);
    assertEquals(
        List.of(
            "transition STOP WAIT start",
            "prestart STOP WAIT start",
            "transition WAIT UP start",
            "start_both WAIT UP start"),
        trace());
    List<String> log = store.messages();
    assertTrue(log.toString(), log.contains("Action start called by root"));
    assertTrue(log.toString(), log.contains("Script start_both"));
    assertTrue(log.toString(), log.contains("Local state UP Ready"));
    try (var files = Files.list(var)) {
      assertTrue(
          "a user log per script run",
          files.anyMatch(
              f ->
                  f.getFileName()
                      .toString()
                      .matches("userlog_\\d{4}-\\d\\d-\\d\\dT\\d{6}_start_both\\.ulog")));
    }

    Files.delete(trace);
    assertTrue(module.command(Verb.STOP, Origin.admin("root"), "").get().accepted());
    await(ModuleState.STOP, Readiness.NOT_READY);
    List<String> stops = trace();
    assertTrue(stops.toString(), stops.contains("stop_both UP WAIT stop"));
    assertTrue(stops.toString(), stops.contains("stop_both force WAIT STOP stop"));
    assertTrue(stops.indexOf("stop_both UP WAIT stop") < stops.indexOf("poststop WAIT STOP stop"));
    assertTrue(store.messages().contains("Action stop called by root"));
    assertTrue(store.messages().contains("Local state STOP NotReady"));
  }

  @Test
  public void aLiveReconfigurationKeepsTheModuleUpAndItsNextScriptsTakeIt() throws Exception {
    module(3, Duration.ofSeconds(5));
    assertTrue(module.command(Verb.START, Origin.admin("root"), "").get().accepted());
    await(ModuleState.UP, Readiness.READY);
    script("stop_both", "echo \"stop_both $GREETING\" >> " + trace + "\n");
    script("update", "echo \"update $GREETING $*\" >> " + trace + "\n");
    ScriptRunner next =
        new ScriptRunner(bin, var, Map.of("SAFEMODULE", "farm", "GREETING", "v2"), true, true);
    module
        .reconfigure(
            next,
            ServiceConfig.Boot.ON,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            "Configuration applied while running: user in effect now")
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(LocalState.of(ModuleState.UP, Readiness.READY), module.local());
    assertTrue(module.bootEnabled());
    // spec E.1: the update script runs, with the new environment, in the stable state
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!trace().contains("update v2 UP UP update")) {
      assertTrue(trace().toString(), System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
    // safekit update -m AM: the same script, its exit code the answer
    assertEquals(0, (int) module.update("root").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(store.messages().contains("Action update called by root"));
    assertTrue(
        store.messages().toString(),
        store.messages().contains("Configuration applied while running: user in effect now"));
    assertTrue(module.command(Verb.STOP, Origin.admin("root"), "").get().accepted());
    await(ModuleState.STOP, Readiness.NOT_READY);
    assertTrue(trace().toString(), trace().contains("stop_both v2"));
    java.util.concurrent.ExecutionException refused =
        org.junit.Assert.assertThrows(
            java.util.concurrent.ExecutionException.class,
            () -> module.update("root").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(
        refused.getCause().getMessage(),
        refused.getCause().getMessage().contains("update refused: module farm is STOP"));
  }

  @Test
  public void aHangingStopScriptIsKilledWithItsChildrenAfterItsTimeout() throws Exception {
    Path child = tmp.getRoot().toPath().resolve("child.pid");
    script(
        "stop_both",
        "if [ \"$1\" != force ]; then sleep 600 & echo $! > " + child + "; wait; fi\n");
    module(3, Duration.ofSeconds(1));
    module.command(Verb.START, Origin.admin("root"), "").get();
    await(ModuleState.UP, Readiness.READY);
    module.command(Verb.STOP, Origin.admin("root"), "").get();
    await(ModuleState.STOP, Readiness.NOT_READY);
    assertTrue(
        store.messages().toString(),
        store.messages().contains("Script stop_both timed out after 1s: killed"));
    long pid = Long.parseLong(Files.readString(child).trim());
    // the sleep was in the script's process group: it is gone too
    boolean alive =
        ProcessHandle.of(pid)
            .map(
                p -> {
                  try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                    return false;
                  } catch (Exception e) {
                    return true;
                  }
                })
            .orElse(false);
    assertFalse("the script's child survived", alive);
  }

  @Test
  public void aScriptExitCodeIsLoggedAndDoesNotChangeTheState() throws Exception {
    script("start_both", "echo failing; exit 3\n");
    module(3, Duration.ofSeconds(5));
    module.command(Verb.START, Origin.admin("root"), "").get();
    await(ModuleState.UP, Readiness.READY);
    assertTrue(
        store.messages().toString(),
        store.messages().stream()
            .anyMatch(
                m ->
                    m.matches(
                        "Script start_both ended with exit code 3 \\(userlog_.*_start_both\\.ulog\\)")));
  }

  @Test
  public void maxloopStopsTheModuleOnTheFourthErrorWithTheDefaults() throws Exception {
    module(3, Duration.ofSeconds(5));
    module.command(Verb.START, Origin.admin("root"), "").get();
    await(ModuleState.UP, Readiness.READY);
    for (int i = 1; i <= 3; i++) {
      assertTrue(module.command(Verb.RESTART, Origin.identity("errd"), "").get().accepted());
      await(ModuleState.UP, Readiness.READY);
      assertEquals(ModuleState.UP, module.local().state());
    }
    module.command(Verb.RESTART, Origin.identity("errd"), "").get();
    await(ModuleState.STOP, Readiness.NOT_READY);
    assertTrue(
        store.messages().toString(), store.messages().contains("Action stop called by maxloop"));
  }

  @Test
  public void commandsThatDoNotApplyAreRefusedWithAMessage() throws Exception {
    module(3, Duration.ofSeconds(5));
    Action.Reply reply = module.command(Verb.RESTART, Origin.admin("root"), "").get();
    assertFalse(reply.accepted());
    assertTrue(reply.message(), reply.message().startsWith("restart refused"));
    assertEquals(LocalState.STOPPED, module.local());
  }

  /**
   * The ready periods the health-check URL names (spec G.10, B.17): one more each time the module
   * becomes UP Ready again, a restart included, none while it stays there.
   */
  @Test
  public void eachReturnToReadyIsANewReadyPeriod() throws Exception {
    module(3, Duration.ofSeconds(5));
    assertEquals(0, module.status().readyCount());
    module.command(Verb.START, Origin.admin("root"), "").get();
    awaitReadyCount(1);
    String first = module.status().readyTag();
    assertTrue(module.command(Verb.RESTART, Origin.admin("root"), "").get().accepted());
    awaitReadyCount(2);
    assertEquals(LocalState.of(ModuleState.UP, Readiness.READY), module.status().local());
    String second = module.status().readyTag();
    assertFalse(first + " then " + second, first.equals(second));
    assertTrue(module.command(Verb.STOP, Origin.admin("root"), "").get().accepted());
    await(ModuleState.STOP, Readiness.NOT_READY);
    assertEquals(2, module.status().readyCount());
  }

  private void awaitReadyCount(long count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(module.status().readyCount() == count && module.status().local().isHealthy())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("ready count " + count + " not reached: " + module.status());
      }
      Thread.sleep(10); // polling a condition with a deadline
    }
  }

  /**
   * errd's {@code restart_services} (spec B.10): the scripts of the restart it asks for get {@code
   * -Services "S1, S2"} after their arguments (spec E.2); a restart without it, none.
   */
  @Test
  public void aRestartOfRestartServicesGivesItsScriptsTheServices() throws Exception {
    module(3, Duration.ofSeconds(5));
    module.command(Verb.START, Origin.admin("root"), "").get();
    awaitReadyCount(1);
    Files.delete(trace);
    Action.Reply reply =
        module
            .command(Verb.RESTART, Origin.identity("errd"), "", List.of("httpd", "php-fpm"))
            .get();
    assertTrue(reply.message(), reply.accepted());
    awaitReadyCount(2);
    assertEquals(
        List.of(
            "stop_both UP UP stopstart -Services httpd, php-fpm",
            "start_both UP UP stopstart -Services httpd, php-fpm"),
        trace());
    assertTrue(
        store.messages().toString(), store.messages().contains("Action restart called by errd"));

    Files.delete(trace);
    assertTrue(module.command(Verb.RESTART, Origin.identity("errd"), "").get().accepted());
    awaitReadyCount(3);
    assertEquals(List.of("stop_both UP UP stopstart", "start_both UP UP stopstart"), trace());
  }

  /**
   * The maintenance toggles (spec F.3): a toggle runs the module's update script when the module
   * runs UP Ready, none while it is stopped; a configuration applied puts checker and errd back on,
   * with a line, and leaves alone what was not toggled.
   */
  @Test
  public void togglesRunUpdateAndTheConfigurationPutsThemBack() throws Exception {
    script("update", "echo \"update $*\" >> " + trace + "\n");
    module(3, Duration.ofSeconds(5));
    module.setResource("usersetting.errd", "off", "root").get();
    module.toggled(); // stopped: no update
    Toggles.applied(module, true);
    module.setResource("usersetting.checker", "on", "root").get(); // a turn of the loop after
    assertEquals("on", module.resources().get("usersetting.errd"));
    assertTrue(
        store.messages().toString(),
        store.messages().contains("Resource usersetting.errd set to on by config"));
    assertFalse(trace().toString(), trace().stream().anyMatch(l -> l.startsWith("update")));

    module.command(Verb.START, Origin.admin("root"), "").get();
    awaitReadyCount(1);
    module.setResource("usersetting.checker", "off", "root").get();
    module.toggled();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!trace().contains("update UP UP update")) {
      assertTrue(trace().toString(), System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
    int lines = store.messages().size();
    Toggles.applied(module, true);
    module.setResource("usersetting.boot", "off", "root").get(); // a turn of the loop after
    assertEquals("on", module.resources().get("usersetting.checker"));
    List<String> all = store.messages(); // one copy: the module's loop may log meanwhile
    assertEquals(
        List.of(
            "Resource usersetting.checker set to on by config",
            "Resource usersetting.boot set to off by root"),
        all.subList(lines, all.size()).stream().filter(l -> l.startsWith("Resource")).toList());
  }

  @Test
  public void theFailoverToggleIsReadBackOverTheConfiguration() {
    assertTrue(Toggles.failover(Map.of(), true));
    assertFalse(Toggles.failover(Map.of(), false));
    assertFalse(Toggles.failover(Map.of("usersetting.failover", "off"), true));
    assertTrue(Toggles.failover(Map.of("usersetting.failover", "on"), false));
  }
}
