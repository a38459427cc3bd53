package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.vip.FarmVip;
import org.bulwark.automaton.FarmDriver;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.Verb;
import org.bulwark.automaton.farm.FarmConfig;
import org.bulwark.automaton.farm.FarmGroup;
import org.bulwark.automaton.farm.MembershipDriver;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.automaton.farm.Role;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The runtime drives a farm module's membership and filter (spec D.1, D.4; docs/farm.md "wiring"):
 * the traffic is set just before {@code start_both} and removed just after {@code stop_both}; a
 * lone node gets every bucket, two nodes share them, and a remote stop moves the buckets without
 * changing the other node's state. The farm lans are wired in memory here; the UDP channel and the
 * kernel filter have their own tests, and FarmIT runs them all in the lab.
 */
public class FarmMembershipRuntimeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private ScheduledExecutorService timers;
  private final InMemoryFarm lans = new InMemoryFarm();
  private final List<ModuleRuntime> runtimes = new ArrayList<>();

  @Before
  public void setUp() {
    timers = Executors.newSingleThreadScheduledExecutor();
  }

  @After
  public void tearDown() {
    runtimes.forEach(r -> r.close(Duration.ofSeconds(20)));
    timers.shutdownNow();
  }

  /** A farm VIP that writes its calls to the scripts' trace and keeps the programmed statuses. */
  static final class RecordingFarmVip implements FarmVip {
    private final Path trace;
    final List<FarmStatus> programmed = new ArrayList<>();
    private boolean set;

    RecordingFarmVip(Path trace) {
      this.trace = trace;
    }

    @Override
    public synchronized void set() throws IOException {
      Files.writeString(
          trace,
          "vip set\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      set = true;
    }

    @Override
    public synchronized void program(FarmStatus status) {
      if (set) {
        programmed.add(status);
      }
    }

    final List<Boolean> opened = new ArrayList<>();

    @Override
    public synchronized void open(boolean open) {
      opened.add(open);
    }

    @Override
    public synchronized void remove() throws IOException {
      Files.writeString(trace, "vip remove\n", java.nio.file.StandardOpenOption.APPEND);
      set = false;
    }

    @Override
    public Optional<BucketView> view() {
      return Optional.empty();
    }

    @Override
    public List<String> held() {
      return List.of();
    }

    @Override
    public void close() {}

    synchronized int load(String node) {
      if (programmed.isEmpty()) {
        return -1;
      }
      return programmed.get(programmed.size() - 1).localBuckets("web").size();
    }
  }

  /** Farm lans in memory: every pulse sent reaches every other open node of the module. */
  static final class InMemoryFarm implements FarmChannelService {
    final Map<String, Receiver> open = new ConcurrentHashMap<>();
    // nodes whose process is gone while their kernel answers: pulses to them are refused
    final Set<String> killed = ConcurrentHashMap.newKeySet();
    // the role each node's last pulse announced
    final Map<String, Role> lastRole = new ConcurrentHashMap<>();

    /** kill -9 of {@code node}'s process: it sends nothing more, and refuses what it is sent. */
    void kill(String node) {
      killed.add(node);
      open.remove(node);
    }

    FarmChannelService as(String node) {
      return (module, links, receiver) -> {
        open.put(node, receiver);
        return new FarmChannel() {
          @Override
          public void send(Pulse pulse) {
            if (killed.contains(node)) {
              return;
            }
            lastRole.put(node, pulse.role());
            Receiver self = open.get(node);
            for (String k : killed) {
              if (self != null) {
                self.refused("default", k);
              }
            }
            open.forEach(
                (n, r) -> {
                  if (!n.equals(node)) {
                    r.received("default", pulse);
                  }
                });
          }

          @Override
          public long received() {
            return 0;
          }

          @Override
          public long malformed() {
            return 0;
          }

          @Override
          public long unexpectedSender() {
            return 0;
          }

          @Override
          public long refused() {
            return 0;
          }

          @Override
          public void close() {
            open.remove(node, receiver);
          }
        };
      };
    }

    @Override
    public FarmChannel open(String module, List<Link> links, Receiver receiver) {
      throw new UnsupportedOperationException("use as(node)");
    }
  }

  private final class Node {
    final String name;
    final Path trace;
    final MemoryStore store = new MemoryStore();
    final RecordingFarmVip vip;
    final ModuleRuntime runtime;

    Node(String name, List<String> nodes) throws IOException {
      this(name, nodes, false);
    }

    Node(String name, List<String> nodes, boolean scriptControl) throws IOException {
      this.name = name;
      Path dir = tmp.newFolder(name).toPath();
      Path bin = Files.createDirectory(dir.resolve("bin"));
      trace = dir.resolve("trace");
      for (String s : List.of("start_both", "stop_both", "update")) {
        Path p = bin.resolve(s);
        Files.writeString(p, "#!/bin/sh\necho \"$0\" | sed 's#.*/##' >> " + trace + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      vip = new RecordingFarmVip(trace);
      Clock clock = Clock.systemUTC();
      runtime =
          new ModuleRuntime(
              "farm",
              1,
              ModuleKind.FARM,
              ServiceConfig.Boot.IGNORE,
              new FarmDriver(ServiceSettings.defaults(name)),
              new ScriptRunner(bin, dir, Map.of("SAFEMODULE", "farm"), true, true),
              Duration.ofSeconds(5),
              Duration.ofSeconds(5),
              new Journal("farm", store, store, clock, new JournalWriter("test-" + name, 1000)),
              clock,
              timers);
      runtimes.add(runtime);
      FarmConfig config =
          new FarmConfig(
              "farm",
              name,
              nodes,
              FarmConfig.DEFAULT_PULSE,
              FarmConfig.DEFAULT_MLOST_COUNT,
              FarmConfig.DEFAULT_SLOST_COUNT,
              List.of(FarmGroup.all("web", 0, nodes)));
      runtime
          .farmWith(new MembershipDriver(config, clock.millis()), Optional.of(vip), scriptControl)
          .open(
              Optional.of(lans.as(name)),
              List.of(
                  new FarmChannelService.Link(
                      "default", new InetSocketAddress("127.0.0.1", 1), Map.of())));
    }

    void start() throws Exception {
      assertTrue(runtime.command(Verb.START, Origin.admin("root"), "").get().accepted());
      runtime
          .await(s -> s.state() == ModuleState.UP && s.readiness() == Readiness.READY)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void stop() throws Exception {
      assertTrue(runtime.command(Verb.STOP, Origin.admin("root"), "").get().accepted());
      runtime.await(s -> s.state() == ModuleState.STOP).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    List<String> trace() throws IOException {
      return Files.exists(trace) ? Files.readAllLines(trace) : List.of();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(20); // polling a condition with a deadline, not synchronising on time
    }
  }

  @Test
  public void traffic_setBeforeStartBoth_removedAfterStopBoth_loneNodeTakesAll() throws Exception {
    Node n1 = new Node("n1", List.of("n1"));
    n1.start();
    assertEquals(List.of("vip set", "start_both"), n1.trace());
    await(() -> n1.vip.load("n1") == 256, "n1 programmed with 256 buckets: " + n1.vip.programmed);
    await(
        () -> n1.store.messages().contains("farm load: 256/256 (group web_0)"),
        "farm load line in " + n1.store.messages());
    assertTrue(
        n1.store.messages().toString(),
        n1.store.messages().contains("farm membership: n1 (group web_0)"));
    n1.stop();
    List<String> trace = n1.trace();
    int stopBoth = trace.indexOf("stop_both");
    assertTrue(trace.toString(), stopBoth > 0 && trace.indexOf("vip remove") == stopBoth + 1);
  }

  /** n1 and n2 of one farm, started, 128 buckets each. */
  private Node[] twoSharing() throws Exception {
    List<String> nodes = List.of("n1", "n2");
    Node n1 = new Node("n1", nodes);
    Node n2 = new Node("n2", nodes);
    n1.start();
    n2.start();
    await(
        () -> n1.vip.load("n1") == 128 && n2.vip.load("n2") == 128,
        "128 each: " + n1.vip.load("n1") + " " + n2.vip.load("n2"));
    return new Node[] {n1, n2};
  }

  @Test
  public void twoNodesShare_aRemoteStopMovesBucketsOnly() throws Exception {
    Node[] both = twoSharing();
    Node n1 = both[0];
    Node n2 = both[1];
    // scriptcontrol's SETGROUPS reaches the module's filter
    n1.runtime.farm().get().setGroups(false).get(20, TimeUnit.SECONDS);
    n1.runtime.farm().get().setGroups(true).get(20, TimeUnit.SECONDS);
    assertEquals(List.of(false, true), n1.vip.opened);
    n2.stop();
    await(() -> n1.vip.load("n1") == 256, "n1 takes all: " + n1.vip.load("n1"));
    assertEquals(ModuleState.UP, n1.runtime.local().state());
    assertEquals(Readiness.READY, n1.runtime.local().readiness());
    assertTrue(
        n1.store.messages().toString(),
        n1.store.messages().contains("farm membership: n1 n2 (group web_0)"));
  }

  @Test
  public void aKilledProcessRefusesPulses_theSurvivorTakesItsBucketsWithoutWaiting()
      throws Exception {
    Node[] both = twoSharing();
    Node n1 = both[0];
    Node n2 = both[1];
    // a member, no longer joining (a joining node's refusal may be older than its comeback)
    await(
        () -> lans.lastRole.get("n2") == Role.FOLLOWER,
        "n2 pulses as a follower: " + lans.lastRole);
    // n1 leads; its member's kernel refuses the next pulse: lost by that refusal, not by silence
    lans.kill("n2");
    await(() -> n1.vip.load("n1") == 256, "n1 takes all: " + n1.vip.load("n1"));
    await(
        () ->
            n1.store
                .messages()
                .contains("Farm node n2 refused our pulse on lan default: its process is gone"),
        "the refusal in the verbose log: " + n1.store.messages());
    assertEquals(1, n1.runtime.farm().get().refusals());
  }

  @Test
  public void scriptcontrol_anUpdateClosesTheTrafficBeforeTheUpdateScript() throws Exception {
    // spec B.6: "an update script must re-open traffic after dynamic reconfiguration because
    // vipd is restarted and keeps traffic closed"
    Node n1 = new Node("n1", List.of("n1"), true);
    n1.start();
    assertEquals(0, (int) n1.runtime.update("root").get(20, TimeUnit.SECONDS));
    assertEquals(List.of(false), n1.vip.opened);
    List<String> trace = n1.trace();
    assertEquals("update", trace.get(trace.size() - 1));
    assertTrue(
        n1.store.messages().toString(),
        n1.store.messages().stream()
            .anyMatch(m -> m.startsWith("Farm traffic closed for the update")));

    Node n2 = new Node("n2", List.of("n2"));
    n2.start();
    assertEquals(0, (int) n2.runtime.update("root").get(20, TimeUnit.SECONDS));
    assertEquals("scriptcontrol off: the traffic stays as it is", List.of(), n2.vip.opened);
  }
}
