package org.bulwark.checker.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.CheckerTarget;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.store.EventLevel;

/**
 * The checks of one module, running: the {@link CheckSchedule} (guarded by this object's lock)
 * driven by the real clock, its probes on the shared pool, its changes set on the module.
 */
final class CheckerRun implements CheckerSession {
  /** Past its timeout, a probe that has not answered is counted down after this grace. */
  static final Duration GRACE = Duration.ofSeconds(1);

  static final List<String> COMMANDS = List.of("restart", "stopstart", "stop");

  private final CheckerContext context;
  private final CheckerTarget target;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ExecutorService probes;

  // guarded by this
  private final CheckSchedule schedule;
  // guarded by this: the supervised programs running, by slot
  private final java.util.Map<Integer, AutoCloseable> programs = new java.util.HashMap<>();
  private ScheduledFuture<?> wakeup;
  private boolean closed;
  private volatile java.util.function.Consumer<CheckerRun> onClose = r -> {};

  CheckerRun(
      CheckerContext context,
      CheckerTarget target,
      Clock clock,
      ScheduledExecutorService timer,
      ExecutorService probes) {
    this.context = context;
    this.target = target;
    this.clock = clock;
    this.timer = timer;
    this.probes = probes;
    this.schedule = new CheckSchedule(List.of());
    synchronized (this) {
      schedule.switches(
          !setting("usersetting.checker").equals("off"),
          !setting("usersetting.errd").equals("off"),
          clock.millis());
    }
  }

  /** Called once, when the session closes (the executor forgets it). */
  void onClose(java.util.function.Consumer<CheckerRun> action) {
    this.onClose = action;
  }

  CheckerContext context() {
    return context;
  }

  CheckerTarget target() {
    return target;
  }

  /**
   * The watches of one provider: every resource starts at {@code init} (spec B.11; errd's too,
   * until its first scan), then they run in the phases the module is in.
   */
  synchronized void add(Object provider, List<Watch> watches) {
    if (closed || watches.isEmpty()) {
      return;
    }
    for (Watch c : watches) {
      if (!target.current(c.resource()).map(Watch.INIT::equals).orElse(false)) {
        target.resource(c.resource(), Watch.INIT, c.by());
      }
    }
    schedule.add(provider, watches, clock.millis());
    reschedule();
  }

  /** A provider went: its watches stop (their resources keep their values). */
  synchronized void retire(Object provider) {
    if (!closed) {
      schedule.retire(provider, clock.millis());
      reschedule();
    }
  }

  private String setting(String resource) {
    return target.current(resource).orElse("on");
  }

  @Override
  public synchronized void state(LocalState state) {
    if (closed) {
      return;
    }
    schedule.state(state, clock.millis());
    reschedule();
  }

  @Override
  public synchronized void resourceSet(String resource, String value) {
    if (closed) {
      return;
    }
    if (resource.equals("usersetting.checker") || resource.equals("usersetting.errd")) {
      boolean checker =
          resource.equals("usersetting.checker")
              ? !value.equals("off")
              : !setting("usersetting.checker").equals("off");
      boolean errd =
          resource.equals("usersetting.errd")
              ? !value.equals("off")
              : !setting("usersetting.errd").equals("off");
      schedule.switches(checker, errd, clock.millis());
      reschedule();
    }
  }

  @Override
  public synchronized boolean enable(String phase, boolean on) {
    boolean known = schedule.enable(phase, on, clock.millis());
    reschedule();
    return known;
  }

  @Override
  public synchronized List<String> list() {
    return schedule.list();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (wakeup != null) {
        wakeup.cancel(false);
      }
      programs.values().forEach(this::stop);
      programs.clear();
    }
    onClose.accept(this); // outside this lock: the executor takes its own, then ours, to add
  }

  /** Starts and stops the supervised programs whose phase began or ended (spec B.16). */
  // holds the lock
  private void supervise() {
    for (CheckSchedule.Supervision s : schedule.supervisions()) {
      if (s.start()) {
        Watch w = s.watch();
        try {
          programs.put(
              s.slot(), w.supervised().get().start(line -> target.log(EventLevel.E, w.by(), line)));
        } catch (RuntimeException e) {
          target.log(EventLevel.E, w.by(), w.resource() + " not started: " + e.getMessage());
        }
      } else {
        AutoCloseable program = programs.remove(s.slot());
        if (program != null) {
          stop(program);
        }
      }
    }
  }

  /** Off the caller's thread: a program may take its grace time to end. */
  private void stop(AutoCloseable program) {
    try {
      probes.execute(
          () -> {
            try {
              program.close();
            } catch (Exception e) {
              target.log(EventLevel.W, "checker", "a checker program did not stop: " + e);
            }
          });
    } catch (RejectedExecutionException e) {
      try {
        program.close();
      } catch (Exception ignored) {
        // the node is going away: its processes' groups are killed with it
      }
    }
  }

  // holds the lock
  private void reschedule() {
    if (closed) {
      return;
    }
    supervise();
    if (wakeup != null) {
      wakeup.cancel(false);
      wakeup = null;
    }
    long next = schedule.nextWakeup();
    if (next == Long.MAX_VALUE) {
      return;
    }
    long delay = Math.max(0, next - clock.millis());
    try {
      wakeup = timer.schedule(this::fire, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closed = true; // the executor is going away
    }
  }

  private synchronized void fire() {
    if (closed) {
      return;
    }
    for (CheckSchedule.Run run : schedule.due(clock.millis())) {
      Duration timeout = run.check().timeout();
      CompletableFuture.supplyAsync(() -> probe(run.check(), timeout), probes)
          .completeOnTimeout(
              ProbeResult.down("no answer within " + timeout.toMillis() + " ms"),
              timeout.plus(GRACE).toMillis(),
              TimeUnit.MILLISECONDS)
          .thenAccept(result -> completed(run, result));
    }
    reschedule();
  }

  private static ProbeResult probe(Watch check, Duration timeout) {
    try {
      return check.probe().probe(timeout);
    } catch (RuntimeException e) {
      return ProbeResult.down(String.valueOf(e.getMessage()));
    }
  }

  private void completed(CheckSchedule.Run run, ProbeResult result) {
    Optional<CheckSchedule.Change> change;
    synchronized (this) {
      if (closed) {
        return;
      }
      change = schedule.completed(run, result, clock.millis());
      reschedule();
    }
    change.ifPresent(c -> apply(c, result));
  }

  private void apply(CheckSchedule.Change c, ProbeResult result) {
    boolean acts = c.reaction().isPresent();
    if (c.restarted()) {
      // the resource stays up: only the line, and the recovery's reaction if the module runs Ready
      target.log(
          acts ? EventLevel.E : EventLevel.I,
          c.by(),
          result.detail() + " (restarted since the last test)");
      c.reaction().ifPresent(this::act);
      return;
    }
    if (acts) {
      // the words of a check SafeKit acts on are a main line: Process httpd not running
      target.log(EventLevel.E, c.by(), result.detail());
    } else if (c.value().equals(Watch.DOWN)) {
      target.log(EventLevel.I, c.by(), c.resource() + ": " + result.detail());
    }
    target.resource(c.resource(), c.value(), c.by());
    c.reaction().ifPresent(this::act);
  }

  /**
   * The action of errd on a process that is missing or too many (spec B.10), of modulecheck on the
   * module it depends on back after a restart (spec B.17), after its line and its resource.
   */
  private void act(Watch.Reaction reaction) {
    String action = reaction.action();
    if (COMMANDS.contains(action) && !reaction.services().isEmpty()) {
      target.command(action, reaction.identity(), reaction.services());
    } else if (COMMANDS.contains(action)) {
      target.command(action, reaction.identity());
    } else if (!action.equals("noaction")) {
      probes.execute(() -> handler(action, reaction.identity()));
    }
  }

  /**
   * A handler program: run with the scripts' environment; when it does not exit 0, SafeKit runs a
   * stopstart (spec B.10). Handlers do not count for maxloop themselves.
   */
  private void handler(String program, String identity) {
    Path path = context.bin().resolve(program);
    int exit;
    try {
      ProcessBuilder pb = new ProcessBuilder(path.toString()).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(context.environment());
      exit = pb.start().waitFor();
    } catch (IOException e) {
      target.log(EventLevel.E, identity, "Handler " + program + " not run: " + e.getMessage());
      exit = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (exit != 0) {
      target.log(EventLevel.E, identity, "Handler " + program + " ended with exit code " + exit);
      target.command("stopstart", identity);
    }
  }
}
