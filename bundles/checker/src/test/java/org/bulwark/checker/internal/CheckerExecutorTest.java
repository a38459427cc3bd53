package org.bulwark.checker.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.checker.testing.RecordingTarget;
import org.bulwark.checker.testing.Userconfigs;
import org.junit.After;
import org.junit.Test;

/** The executor with its real threads and clock: resources set, errd's action, switches. */
public class CheckerExecutorTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final LocalState PRIM = LocalState.of(ModuleState.PRIM, Readiness.READY);

  private final CheckerExecutor executor = new CheckerExecutor();
  private final RecordingTarget target = new RecordingTarget();
  private final AtomicBoolean app = new AtomicBoolean(true);
  private final CheckerContext context = Userconfigs.context("", Path.of("bin"));

  @After
  public void stop() {
    executor.deactivate();
  }

  private CheckerProvider provider(Watch... watches) {
    return new CheckerProvider() {
      @Override
      public String type() {
        return "test";
      }

      @Override
      public List<Watch> checks(CheckerContext c) {
        return List.of(watches);
      }
    };
  }

  private Watch tcp() {
    return Watch.of(
        "tcp.app",
        "tcpcheck",
        "prim",
        Duration.ofMillis(50),
        Duration.ofMillis(500),
        t -> app.get() ? ProbeResult.up("ok") : ProbeResult.down("refused"));
  }

  @Test
  public void aProviderThatComesLaterAddsItsChecksToOpenModules() throws Exception {
    try (CheckerSession s = executor.open(context, target)) {
      assertEquals(List.of(), s.list());
      s.state(PRIM);
      CheckerProvider late = provider(tcp());
      executor.addProvider(late); // a checker bundle starting after the module (at boot)
      target.awaitLine("Resource tcp.app set to up by tcpcheck", LIMIT);
      executor.removeProvider(late);
      assertEquals(List.of(), s.list());
    }
  }

  @Test
  public void resourcesStartAtInitThenFollowTheProbe() throws Exception {
    executor.addProvider(provider(tcp()));
    try (CheckerSession s = executor.open(context, target)) {
      assertEquals(List.of("Resource tcp.app set to init by tcpcheck"), target.lines());
      s.state(PRIM);
      target.awaitLine("Resource tcp.app set to up by tcpcheck", LIMIT);
      app.set(false);
      target.awaitLine("Resource tcp.app set to down by tcpcheck", LIMIT);
      target.clearLines();
      app.set(true);
      target.awaitLine("Resource tcp.app set to up by tcpcheck", LIMIT);
    }
  }

  @Test
  public void errdActsWhenItsProcessGoes() throws Exception {
    Watch proc =
        new Watch(
            "proc.app",
            "errd",
            "prim",
            Duration.ofMillis(50),
            Duration.ofMillis(500),
            Duration.ZERO,
            1,
            1,
            true,
            Optional.of(new Watch.Reaction("restart", "errd")),
            t ->
                app.get()
                    ? ProbeResult.up("1 instance")
                    : ProbeResult.down("Process app not running"));
    executor.addProvider(provider(proc));
    try (CheckerSession s = executor.open(context, target)) {
      s.state(PRIM);
      target.awaitLine("Resource proc.app set to up by errd", LIMIT);
      app.set(false);
      target.awaitLine("Action restart called by errd", LIMIT);
      List<String> lines = target.lines();
      int down = lines.indexOf("Resource proc.app set to down by errd");
      int message = lines.indexOf("Process app not running");
      int action = lines.indexOf("Action restart called by errd");
      assertEquals(
          lines.toString(),
          List.of(message, message + 1, message + 2),
          List.of(message, down, action));
    }
  }

  @Test
  public void checkerOffPausesTheChecks() throws Exception {
    executor.addProvider(provider(tcp()));
    try (CheckerSession s = executor.open(context, target)) {
      s.state(PRIM);
      target.awaitLine("Resource tcp.app set to up by tcpcheck", LIMIT);
      s.resourceSet("usersetting.checker", "off");
      assertEquals(List.of("tcp.app class=prim stopped up"), s.list());
      s.resourceSet("usersetting.checker", "on");
      assertEquals(List.of("tcp.app class=prim running up"), s.list());
    }
  }

  @Test
  public void aFailingProviderIsLoggedAndTheOthersRun() {
    executor.addProvider(
        new CheckerProvider() {
          @Override
          public String type() {
            return "broken";
          }

          @Override
          public List<Watch> checks(CheckerContext c) {
            throw new IllegalStateException("boom");
          }
        });
    executor.addProvider(provider(tcp()));
    try (CheckerSession s = executor.open(context, target)) {
      assertEquals(
          List.of("Checker broken not started: boom", "Resource tcp.app set to init by tcpcheck"),
          target.lines());
    }
  }
}
