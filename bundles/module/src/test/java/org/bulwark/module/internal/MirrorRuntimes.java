package org.bulwark.module.internal;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartConfig;
import org.bulwark.automaton.MirrorDriver;
import org.bulwark.automaton.ModuleDriver;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.Verb;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/**
 * Mirror module runtimes of one module on two "nodes" in this JVM, their heartbeats paired in
 * memory, no scripts: what the module runtime does around the automaton, with real threads and real
 * time. Everything is closed after the test, its folders deleted. A test class holds one as its
 * {@code @Rule}.
 */
final class MirrorRuntimes extends ExternalResource {
  static final long PULSE = 100;
  static final long TIMEOUT = 1_000;

  /** How long a test waits for a command's answer or a state. */
  static final Duration LIMIT = Duration.ofSeconds(20);

  final PairedHeartbeats heartbeats = new PairedHeartbeats();
  final Clock clock = Clock.systemUTC();

  /** The module log of side a, then of side b, for {@link #startA} and {@link #startB}. */
  final MemoryStore storeA = new MemoryStore();

  final MemoryStore storeB = new MemoryStore();
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
  private final List<ModuleRuntime> runtimes = new ArrayList<>();
  private final List<JournalWriter> writers = new ArrayList<>();

  /** A new empty folder, deleted after the test. */
  Path newFolder() throws IOException {
    return tmp.newFolder().toPath();
  }

  /** A plain mirror driver of node {@code node}, incarnation 1, on this pair's clock. */
  MirrorDriver driver(String node) {
    return driver(node, 1, clock);
  }

  /** A plain mirror driver of node {@code node}, with this incarnation. */
  static MirrorDriver driver(String node, long incarnation, Clock clock) {
    return new MirrorDriver(
        "mirror",
        ServiceSettings.defaults(node),
        HeartConfig.of(PULSE, TIMEOUT, "0"),
        DataFreshness.NEVER_SYNCED,
        incarnation,
        clock.millis());
  }

  /** A runtime on side a, journaling into {@link #storeA}. */
  ModuleRuntime startA(ModuleDriver driver) throws IOException {
    return start(heartbeats.a, driver, storeA, clock);
  }

  /** A runtime on side b, journaling into {@link #storeB}. */
  ModuleRuntime startB(ModuleDriver driver) throws IOException {
    return start(heartbeats.b, driver, storeB, clock);
  }

  /** A runtime of node {@code node} on side {@code side}, journaling into {@code store}. */
  <S extends EventLog & ResourceHistory> ModuleRuntime start(
      PairedHeartbeats.Side side, ModuleDriver driver, S store, Clock clock) throws IOException {
    Path root = newFolder();
    Path bin = Files.createDirectories(root.resolve("bin")); // no scripts: each one is skipped
    JournalWriter writer = new JournalWriter("journal-" + runtimes.size(), 10_000);
    writers.add(writer);
    ModuleRuntime runtime =
        new ModuleRuntime(
            "mirror",
            1,
            ModuleKind.MIRROR,
            ServiceConfig.Boot.IGNORE,
            driver,
            new ScriptRunner(bin, root, Map.of(), true, true),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            new Journal("mirror", store, store, clock, writer),
            clock,
            timers);
    runtime.connect(Optional.of(side), PairedHeartbeats.LINKS);
    runtimes.add(runtime);
    return runtime;
  }

  /** Whether {@code s} is this state at this level. */
  static boolean is(
      LocalState s,
      org.bulwark.api.module.ModuleState state,
      org.bulwark.api.module.Readiness readiness) {
    return s.state() == state && s.readiness() == readiness;
  }

  /** {@code verb} as root, answered within {@link #LIMIT} and accepted. */
  static void accepted(ModuleRuntime m, Verb verb) throws Exception {
    Action.Reply reply =
        m.command(verb, Origin.admin("root"), "").get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(reply.message(), reply.accepted());
  }

  /** {@code a} made primary with no peer: PRIM accepted, then ALONE Ready. */
  static ModuleRuntime alone(ModuleRuntime a) throws Exception {
    accepted(a, Verb.PRIM);
    await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    return a;
  }

  /** {@code b} started as the secondary of {@code a} ALONE: then b SECOND and a PRIM, Ready. */
  static void secondOf(ModuleRuntime a, ModuleRuntime b) throws Exception {
    accepted(b, Verb.START);
    await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
  }

  /** Waits for a state with a deadline; returns how long it took. */
  static Duration await(ModuleRuntime m, Predicate<LocalState> until, Duration limit)
      throws Exception {
    long start = System.nanoTime();
    m.await(until).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Waits, with a deadline, for a line in the module log (journaled off the loop). */
  static void awaitLog(MemoryStore store, String line, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!store.messages().contains(line)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + limit + ": " + line + " in " + store.messages());
      }
      Thread.sleep(20); // polling a condition with a deadline, not synchronising on time
    }
  }

  @Override
  protected void before() throws IOException {
    tmp.create();
  }

  @Override
  protected void after() {
    for (ModuleRuntime r : runtimes) {
      r.close(Duration.ofSeconds(5));
    }
    timers.shutdownNow();
    writers.forEach(w -> w.close(Duration.ofSeconds(5)));
    tmp.delete();
  }
}
