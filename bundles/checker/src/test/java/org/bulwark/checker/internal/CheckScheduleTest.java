package org.bulwark.checker.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Test;

/** The executor's schedule on a virtual clock: phases, intervals, hysteresis, switches. */
public class CheckScheduleTest {
  private static final LocalState WAIT = LocalState.of(ModuleState.WAIT, Readiness.NOT_READY);
  private static final LocalState PRIM = LocalState.of(ModuleState.PRIM, Readiness.READY);
  private static final LocalState PRIM_TRANSIENT =
      LocalState.of(ModuleState.PRIM, Readiness.TRANSIENT);
  private static final LocalState SECOND = LocalState.of(ModuleState.SECOND, Readiness.READY);
  private static final LocalState UP = LocalState.of(ModuleState.UP, Readiness.READY);

  private static Watch check(String resource, String phase, long intervalMs) {
    return Watch.of(
        resource,
        "tcpcheck",
        phase,
        Duration.ofMillis(intervalMs),
        Duration.ofMillis(500),
        t -> ProbeResult.up("unused"));
  }

  /** module.db tested every second, PRE, a stopstart on recovery. */
  private static Watch moduleCheckWithRecovery() {
    return new Watch(
        "module.db",
        "modulecheck",
        "pre",
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ZERO,
        1,
        1,
        false,
        Optional.of(new Watch.Reaction("stopstart", "modulecheck", Watch.Reaction.On.RECOVERY)),
        t -> ProbeResult.up("unused"));
  }

  /**
   * Completes the one due run of {@code s} at {@code now[0]} with the result given, then moves
   * {@code now[0]} a second on; answers the change.
   */
  private static java.util.function.Function<ProbeResult, Optional<CheckSchedule.Change>> runs(
      CheckSchedule s, long[] now) {
    return result -> {
      CheckSchedule.Run r = s.due(now[0]).get(0);
      Optional<CheckSchedule.Change> c = s.completed(r, result, now[0]);
      now[0] += 1000;
      return c;
    };
  }

  private static List<String> resources(List<CheckSchedule.Run> runs) {
    return runs.stream().map(r -> r.check().resource()).toList();
  }

  @Test
  public void phasesFollowTheLocalState() {
    assertEquals(java.util.Set.of(), CheckSchedule.phasesOf(LocalState.STOPPED));
    assertEquals(java.util.Set.of("pre"), CheckSchedule.phasesOf(WAIT));
    assertEquals(java.util.Set.of("pre"), CheckSchedule.phasesOf(PRIM_TRANSIENT));
    assertEquals(java.util.Set.of("pre", "prim"), CheckSchedule.phasesOf(PRIM));
    assertEquals(
        java.util.Set.of("pre", "prim"),
        CheckSchedule.phasesOf(LocalState.of(ModuleState.ALONE, Readiness.READY)));
    assertEquals(java.util.Set.of("pre", "second"), CheckSchedule.phasesOf(SECOND));
    assertEquals(java.util.Set.of("pre", "both"), CheckSchedule.phasesOf(UP));
  }

  @Test
  public void checksRunOnlyInTheirPhaseAndEveryInterval() {
    CheckSchedule s =
        new CheckSchedule(List.of(check("ping.gw", "pre", 1000), check("tcp.db", "prim", 3000)));
    assertEquals(Long.MAX_VALUE, s.nextWakeup());
    assertEquals(List.of(), s.due(0));

    s.state(WAIT, 100);
    assertEquals(List.of("ping.gw"), resources(s.due(100)));
    assertEquals(List.of(), s.due(100)); // in flight: not due twice

    s.state(PRIM, 200);
    List<CheckSchedule.Run> runs = s.due(200);
    assertEquals(List.of("tcp.db"), resources(runs));
    s.completed(runs.get(0), ProbeResult.up("connected"), 250);
    assertEquals(3250, s.nextWakeup());
    assertEquals(List.of(), s.due(3249));
    assertEquals(List.of("tcp.db"), resources(s.due(3250)));
  }

  @Test
  public void resourceChangesOnlyWhenTheValueChanges() {
    CheckSchedule s = new CheckSchedule(List.of(check("tcp.db", "pre", 1000)));
    s.state(WAIT, 0);
    CheckSchedule.Run r = s.due(0).get(0);
    assertEquals(
        Optional.of(new CheckSchedule.Change("tcp.db", "up", "tcpcheck", Optional.empty())),
        s.completed(r, ProbeResult.up("ok"), 10));
    r = s.due(1010).get(0);
    assertEquals(Optional.empty(), s.completed(r, ProbeResult.up("ok"), 1020));
    r = s.due(2020).get(0);
    assertEquals("down", s.completed(r, ProbeResult.down("refused"), 2030).get().value());
  }

  @Test
  public void hysteresisNeedsConsecutiveResults() {
    Watch flappy =
        new Watch(
            "tcp.db",
            "tcpcheck",
            "pre",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ZERO,
            3,
            2,
            false,
            Optional.empty(),
            t -> ProbeResult.up("unused"));
    CheckSchedule s = new CheckSchedule(List.of(flappy));
    s.state(WAIT, 0);
    long now = 0;
    String[] results = {"down", "down", "up", "down", "down", "down", "up", "up"};
    String[] values = {null, null, null, null, null, "down", null, "up"};
    for (int i = 0; i < results.length; i++) {
      CheckSchedule.Run r = s.due(now).get(0);
      ProbeResult pr = results[i].equals("up") ? ProbeResult.up("") : ProbeResult.down("");
      Optional<CheckSchedule.Change> c = s.completed(r, pr, now);
      assertEquals("step " + i, Optional.ofNullable(values[i]), c.map(CheckSchedule.Change::value));
      now += 1000;
    }
  }

  @Test
  public void aResultAfterItsCheckStoppedIsDropped() {
    CheckSchedule s = new CheckSchedule(List.of(check("tcp.db", "prim", 1000)));
    s.state(PRIM, 0);
    CheckSchedule.Run r = s.due(0).get(0);
    s.state(PRIM_TRANSIENT, 10); // stop_prim runs: the check stops
    assertEquals(Optional.empty(), s.completed(r, ProbeResult.down("refused"), 20));
    s.state(PRIM, 30); // started again: a new generation, its first test at once
    assertEquals(Optional.empty(), s.completed(r, ProbeResult.down("refused"), 40));
    CheckSchedule.Run again = s.due(40).get(0);
    assertEquals("down", s.completed(again, ProbeResult.down("refused"), 50).get().value());
  }

  @Test
  public void firstDelayPostponesTheFirstTest() {
    Watch errd =
        new Watch(
            "proc.httpd",
            "errd",
            "prim",
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            1,
            1,
            true,
            Optional.of(new Watch.Reaction("restart", "errd")),
            t -> ProbeResult.up("unused"));
    CheckSchedule s = new CheckSchedule(List.of(errd));
    s.state(PRIM, 1000);
    assertEquals(21_000, s.nextWakeup());
    CheckSchedule.Run r = s.due(21_000).get(0);
    CheckSchedule.Change c =
        s.completed(r, ProbeResult.down("Process app not running"), 21_001).get();
    assertEquals("errd", c.reaction().get().identity());
    assertEquals("restart", c.reaction().get().action());
  }

  @Test
  public void switchesPauseCheckersAndErrdSeparately() {
    Watch errd =
        new Watch(
            "proc.httpd",
            "errd",
            "prim",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ZERO,
            1,
            1,
            true,
            Optional.empty(),
            t -> ProbeResult.up("unused"));
    CheckSchedule s = new CheckSchedule(List.of(errd, check("tcp.db", "prim", 1000)));
    s.state(PRIM, 0);
    s.switches(false, true, 0);
    assertEquals(List.of("proc.httpd"), resources(s.due(0)));
    s.switches(true, false, 0);
    assertEquals(List.of("tcp.db"), resources(s.due(0)));
  }

  @Test
  public void userClassesRunOnlyWhenEnabled() {
    CheckSchedule s = new CheckSchedule(List.of(check("proc.batch", "nightly", 1000)));
    s.state(PRIM, 0);
    assertEquals(List.of(), s.due(0));
    assertFalse(s.enable("unknown", true, 0));
    assertTrue(s.enable("nightly", true, 0));
    assertEquals(List.of("proc.batch"), resources(s.due(0)));
    assertTrue(s.enable("nightly", false, 5));
    assertEquals(Long.MAX_VALUE, s.nextWakeup());
    assertTrue(s.list().get(0).contains("stopped"));
  }

  @Test
  public void aSupervisedProgramStartsAndStopsWithItsPhaseAndIsNeverProbed() {
    Watch custom = Watch.supervised("custom.app", "customcheck", "prim", log -> () -> {});
    CheckSchedule s = new CheckSchedule(List.of(custom));
    s.state(WAIT, 0);
    assertEquals(List.of(), s.supervisions());
    s.state(PRIM, 10);
    List<CheckSchedule.Supervision> started = s.supervisions();
    assertEquals(1, started.size());
    assertTrue(started.get(0).start());
    assertEquals(List.of(), s.supervisions()); // drained
    assertEquals(List.of(), s.due(10_000));
    assertEquals(Long.MAX_VALUE, s.nextWakeup());
    s.switches(false, true, 20); // checker off
    assertFalse(s.supervisions().get(0).start());
  }

  @Test
  public void aRecoveryReactionFollowsUpAfterDownOnlyWhileTheModuleRunsReady() {
    Watch module = moduleCheckWithRecovery();
    CheckSchedule s = new CheckSchedule(List.of(module));
    s.state(PRIM, 0);
    long[] now = {0};
    java.util.function.Function<ProbeResult, Optional<CheckSchedule.Change>> probe = runs(s, now);
    java.util.function.Function<Boolean, Optional<CheckSchedule.Change>> run =
        up -> probe.apply(up ? ProbeResult.up("ready") : ProbeResult.down("not"));
    assertEquals(Optional.empty(), run.apply(true).get().reaction()); // init -> up: no recovery
    assertEquals(Optional.empty(), run.apply(false).get().reaction()); // down: nothing
    assertEquals("stopstart", run.apply(true).get().reaction().get().action()); // back: stopstart
    assertEquals(Optional.empty(), run.apply(false).get().reaction());
    s.state(WAIT, now[0]); // module_failure made this module wait: its wakeup is the rules'
    assertEquals(Optional.empty(), run.apply(true).get().reaction());
  }

  /**
   * A restart of the target shorter than the interval: both tests pass, but the target names
   * another run (the ready period of a module, spec B.17).
   */
  @Test
  public void anotherIncarnationBetweenTwoPassedTestsIsARestart() {
    Watch module = moduleCheckWithRecovery();
    CheckSchedule s = new CheckSchedule(List.of(module));
    s.state(PRIM, 0);
    long[] now = {0};
    java.util.function.Function<ProbeResult, Optional<CheckSchedule.Change>> run = runs(s, now);
    Optional<Watch.Reaction> stopstart = module.reaction();
    // first sight: init -> up, nothing to compare with
    assertEquals(
        Optional.of(new CheckSchedule.Change("module.db", "up", "modulecheck", Optional.empty())),
        run.apply(ProbeResult.up("ready", "7-1")));
    assertEquals(Optional.empty(), run.apply(ProbeResult.up("ready", "7-1"))); // same run
    // restarted between two tests: the value stays up, the recovery's stopstart comes
    assertEquals(
        Optional.of(new CheckSchedule.Change("module.db", "up", "modulecheck", stopstart, true)),
        run.apply(ProbeResult.up("ready", "7-2")));
    assertEquals(Optional.empty(), run.apply(ProbeResult.up("ready", "7-2")));
    // a target that stops naming its run is not taken for restarted
    assertEquals(Optional.empty(), run.apply(ProbeResult.up("ready")));
    assertEquals(Optional.empty(), run.apply(ProbeResult.up("ready", "7-2")));
    // seen down then up in a new run: the ordinary recovery, once
    run.apply(ProbeResult.down("not ready"));
    assertEquals(
        Optional.of(new CheckSchedule.Change("module.db", "up", "modulecheck", stopstart, false)),
        run.apply(ProbeResult.up("ready", "7-3")));
    // while this module waits, a restart is noted but not acted on
    s.state(WAIT, now[0]);
    assertEquals(
        Optional.of(
            new CheckSchedule.Change("module.db", "up", "modulecheck", Optional.empty(), true)),
        run.apply(ProbeResult.up("ready", "8-1")));
    // the check stopped (this module stopped) and started again: it starts from what it sees
    s.state(LocalState.STOPPED, now[0]);
    s.state(PRIM, now[0]);
    assertEquals(Optional.empty(), run.apply(ProbeResult.up("ready", "9-1")));
    assertEquals(Optional.empty(), run.apply(ProbeResult.up("ready", "9-1")));
  }
}
