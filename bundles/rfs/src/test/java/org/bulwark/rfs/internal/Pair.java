package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.rfs.ReplicationSetup;
import org.bulwark.fuse.internal.ConfinedTrees;
import org.bulwark.fuse.internal.FuseFileSystemDriver;
import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;

/**
 * Two nodes' replication of one module in this JVM, over real TCP on two loopback addresses, with a
 * real FUSE mount on the primary's directory and real confined trees: node 1's directories are
 * {@code a/dN}, node 2's {@code b/dN}, standing for the same configured paths. Everything is
 * stopped and unmounted after the test, even when it fails.
 */
final class Pair extends ExternalResource {
  private static final AtomicInteger PORTS =
      new AtomicInteger(27000 + (int) (ProcessHandle.current().pid() % 1000) * 8);

  final TemporaryFolder tmp;
  final int dirs;
  Rfs rfs;
  final FuseFileSystemDriver driver = new FuseFileSystemDriver();
  final ConfinedTrees trees = new ConfinedTrees();
  final EventLoopGroup loop = new NioEventLoopGroup(2);
  final ExecutorService workers = Executors.newCachedThreadPool();
  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
  final List<ModuleRfs> opened = new ArrayList<>();
  List<Path> a;
  List<Path> b;
  int port;
  final Recorder one = new Recorder("node1");
  final Recorder two = new Recorder("node2");
  ModuleRfs node1;
  ModuleRfs node2;

  Pair(TemporaryFolder tmp, int dirs) {
    this(tmp, dirs, "127.0.0.41", "127.0.0.42", 0);
  }

  /**
   * @param self1 node 1's loopback address, {@code self2} node 2's
   * @param port the replication port, or 0 for one of the shared range
   */
  Pair(TemporaryFolder tmp, int dirs, String self1, String self2, int port) {
    this.tmp = tmp;
    this.dirs = dirs;
    this.self1 = loopback(0, self1);
    this.self2 = loopback(1, self2);
    this.fixedPort = port;
  }

  /**
   * {@code -Drfs.test.loopback=A,B[,C]}: every pair on the addresses A and B instead of its own,
   * and C for a third party (a stranger, a probe), so that tests run beside others on one machine,
   * each engineer on addresses of their own. Classes that open sockets of their own take their
   * addresses from here too ({@link #loopback}, {@link #address1()}).
   */
  static final String LOOPBACK = "rfs.test.loopback";

  /**
   * {@code -Drfs.test.ports=FIRST-LAST}: the pairs' replication ports taken in turn from this range
   * (one pair at a time in a fork: a port is free again once the previous pair stopped), so that
   * tests run beside others on one machine within the ports given to them.
   */
  static final String PORT_RANGE = "rfs.test.ports";

  private static int nextPort() {
    String range = System.getProperty(PORT_RANGE, "");
    int n = PORTS.getAndIncrement();
    if (range.isBlank()) {
      return n;
    }
    String[] bounds = range.split("-");
    int first = Integer.parseInt(bounds[0].strip());
    int last = Integer.parseInt(bounds[bounds.length - 1].strip());
    return first + Math.floorMod(n, last - first + 1);
  }

  /** The {@code index}-th address of {@link #LOOPBACK} when given, else {@code otherwise}. */
  static String loopback(int index, String otherwise) {
    String[] given = System.getProperty(LOOPBACK, "").split(",");
    return index < given.length && !given[index].isBlank() ? given[index].strip() : otherwise;
  }

  /** Node 1's address (the primary's in most tests). */
  String address1() {
    return self1;
  }

  /** Node 2's address. */
  String address2() {
    return self2;
  }

  private final String self1;
  private final String self2;
  private final int fixedPort;

  @Override
  protected void before() throws Throwable {
    a = new ArrayList<>();
    b = new ArrayList<>();
    List<String> configured = new ArrayList<>();
    for (int i = 0; i < dirs; i++) {
      a.add(Files.createDirectories(tmp.getRoot().toPath().resolve("a/d" + i)));
      b.add(Files.createDirectories(tmp.getRoot().toPath().resolve("b/d" + i)));
      configured.add("/srv/app/d" + i);
    }
    rfs = TestRfs.of(configured, Rfs.Async.SECOND);
    port = fixedPort != 0 ? fixedPort : nextPort();
  }

  /** Builds both nodes' replication with the current {@link #rfs}. */
  void open() {
    node1 = open("node1", self1, self2, a, one);
    node2 = open("node2", self2, self1, b, two);
  }

  /**
   * Node 1's replication built again over the same state, as after a restart of the node (the
   * previous one must be stopped).
   */
  ModuleRfs reopenNode1() {
    node1 = open("node1", self1, self2, a, one);
    return node1;
  }

  /**
   * Both nodes built and started, the first reintegration over with the trees the same and no zone
   * left in the record; then node 2's secondary stopped, and the primary knows it is away: until it
   * has seen the session end, it replicates a change to the session (SessionEndsUnderARenameTest
   * covers that case).
   */
  void startedThenAway() throws Exception {
    open();
    start();
    assertSameTrees("first reintegration");
    awaitNoDirtyZones();
    node2.stopSecondary(Duration.ofSeconds(5));
    one.await(e -> e.startsWith("degraded "), 30_000);
  }

  /** Node 1's change record. */
  Path record() {
    return tmp.getRoot().toPath().resolve("node1-state/zones.log");
  }

  /** A copy of node 1's record as it is now: what a crash now would leave on its disk. */
  Path recordNow() throws IOException {
    Path copy = Files.createTempFile(tmp.getRoot().toPath(), "zones.log.", ".as-crashed");
    Files.copy(record(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  /**
   * Node 1's primary stopped and started again from {@code asCrashed} ({@link #recordNow}), as
   * after a crash: whatever was recorded later, the stop included, is undone.
   */
  void restartPrimaryFrom(Path asCrashed) throws Exception {
    node1.stopPrimary(Duration.ofSeconds(5));
    Files.copy(asCrashed, record(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    reopenNode1().startPrimary(false);
  }

  /** {@link #restartPrimaryFrom} the record as it is now. */
  void restartPrimaryFromRecord() throws Exception {
    restartPrimaryFrom(recordNow());
  }

  private ModuleRfs open(String node, String self, String peer, List<Path> dirs, Recorder r) {
    ReplicationSetup setup =
        new ReplicationSetup(
            "mirror",
            node,
            rfs,
            new InetSocketAddress(self, port),
            new InetSocketAddress(peer, port),
            tmp.getRoot().toPath().resolve(node + "-state"));
    ModuleRfs m = new ModuleRfs(setup, r, driver, trees, loop, workers, timers, dirs);
    opened.add(m);
    return m;
  }

  /** Node 1 primary, node 2 secondary, and waits for the end of the reintegration. */
  void start() throws Exception {
    node1.startPrimary(false);
    node2.startSecondary("");
    two.await(e -> e.startsWith("reintegrated "), 60_000);
    if (!two.events().contains("reintegrated true")) {
      throw new AssertionError("reintegration failed: " + two.events());
    }
  }

  /** The same directories and zones with {@code async} (before {@link #open}). */
  void async(Rfs.Async async) {
    rfs =
        TestRfs.of(
            rfs.replicated().stream().map(r -> r.dir()).toList(), async, rfs.ruzoneBlocksize());
  }

  /**
   * What {@link #reintegrateUnderLoad} saw: the writer's calls during the reintegration, its time.
   */
  record UnderLoad(long calls, long millis) {}

  /**
   * Starts node 2's secondary while an application writes, and waits for the end of its
   * reintegration, which must succeed. The writer's calls are counted when node 2 reports the
   * reintegration started and ended, for the test to check that the application wrote meanwhile;
   * the writer goes on past the end.
   *
   * @param which the reintegration, for the messages
   * @param writer the application whose calls are counted
   * @param millis how long the reintegration may take
   */
  UnderLoad reintegrateUnderLoad(String which, LoadWriter writer, long millis) throws Exception {
    long[] at = new long[2];
    two.listen(
        e -> {
          if (e.equals("reintegration started")) {
            at[0] = writer.calls();
          } else if (e.startsWith("reintegrated ")) {
            at[1] = writer.calls();
          }
        });
    try {
      long start = System.nanoTime();
      node2.startSecondary("");
      String end;
      try {
        end = two.await(e -> e.startsWith("reintegrated "), millis);
      } catch (AssertionError e) {
        throw new AssertionError(which + " reintegration: primary's events " + one.events(), e);
      }
      long took = (System.nanoTime() - start) / 1_000_000;
      org.junit.Assert.assertEquals(
          which + " reintegration: " + two.events(), "reintegrated true", end);
      // read under the recorder's lock, which the listener ran under: await took it since
      return new UnderLoad(at[1] - at[0], took);
    } finally {
      two.listen(e -> {});
    }
  }

  /**
   * fsync of every primary directory through its mount: once it returns, the secondary has applied
   * every change made before (its acknowledgement of a durability barrier follows the apply of all
   * earlier changes, spec B.7).
   */
  void barrier() {
    for (Path dir : a) {
      Posix.fsync(dir.toString());
    }
  }

  /**
   * The primary's modification times carried to the secondary (they are, at the latest, at its next
   * flush): both copies' times are equal once it returns, for what was written before.
   */
  void settleTimes() {
    java.util.concurrent.CompletableFuture<Integer> flushed = node1.flushNow();
    if (flushed != null) {
      try {
        org.junit.Assert.assertEquals(
            "flush", 0, (int) flushed.get(30, java.util.concurrent.TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new AssertionError("the flush carrying the times failed", e);
      }
    }
  }

  /**
   * Primary and secondary directories compare equal, line by line (see {@link Trees}), times
   * included once carried ({@link #settleTimes}).
   */
  void assertSameTrees(String what) throws IOException {
    settleTimes();
    for (int d = 0; d < dirs; d++) {
      String diff = Trees.diff(Trees.describe(a.get(d)), Trees.describe(b.get(d)), 20);
      if (!diff.isEmpty()) {
        throw new AssertionError(what + ": directory " + d + ", primary → secondary: " + diff);
      }
    }
  }

  /**
   * Node 2's secondary started again after its session ended: its reintegration succeeds, and then
   * the trees are the same byte for byte and the session synchronous.
   */
  void secondaryBackAndSame(String what) throws Exception {
    one.clear();
    two.clear();
    node2.startSecondary("");
    String ended = two.await(e -> e.startsWith("reintegrated "), 60_000);
    assertEquals(two.events().toString(), "reintegrated true", ended);
    barrier();
    assertSameTrees(what);
    assertStillSynchronous(what);
  }

  /**
   * With {@code nbremconn} above 1: node 2's session carried changes on each of its connections;
   * returns the counts, the first connection's first.
   */
  long[] assertEveryConnectionCarried(String what) {
    long[] by = node2.secondaryHandler().changesByConnection();
    for (long n : by) {
      if (n == 0) {
        throw new AssertionError(
            what + ": every connection carried changes: " + java.util.Arrays.toString(by));
      }
    }
    return by;
  }

  /** The session never broke: no replication lost on either side, the primary synchronous. */
  void assertStillSynchronous(String what) {
    for (Recorder r : List.of(one, two)) {
      for (String e : r.events()) {
        if (e.startsWith("lost ") || e.startsWith("degraded ")) {
          throw new AssertionError(
              what + ": replication broke: " + e + "; node1: " + why(one) + "; node2: " + why(two));
        }
      }
    }
    org.junit.Assert.assertEquals(what, "synchronous", node1.status().link());
  }

  /** The events of a node that say why a session ended. */
  private static List<String> why(Recorder r) {
    return r.events().stream()
        .filter(
            e ->
                e.startsWith("lost ")
                    || e.startsWith("degraded ")
                    || e.contains("stopped")
                    || e.contains("refused")
                    || e.contains("failed"))
        .toList();
  }

  @Override
  protected void after() {
    for (ModuleRfs m : opened) {
      try {
        m.stopSecondary(Duration.ofSeconds(2));
        m.stopPrimary(Duration.ofSeconds(2));
      } catch (IOException e) {
        e.printStackTrace();
      }
    }
    timers.shutdownNow();
    workers.shutdownNow();
    loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static final java.util.regex.Pattern SENT =
      java.util.regex.Pattern.compile("Secondary reintegrated: (\\d+) files, (\\d+) bytes");

  /** The data bytes node one reports for the next reintegration it ends. */
  long lastBytesSent() throws Exception {
    String line = one.await(e -> SENT.matcher(e).find(), 60_000);
    java.util.regex.Matcher m = SENT.matcher(line);
    org.junit.Assert.assertTrue(m.find());
    return Long.parseLong(m.group(2));
  }

  /** The time a {@link #quietFile} has, on both nodes. */
  static final java.nio.file.attribute.FileTime OLD =
      java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L);

  /**
   * A replicated file of node 1's first directory ({@code AAAA}, time {@link #OLD}) on both nodes,
   * with no zone left in the record to name it: a later change of the same size and time there
   * reaches the secondary only by a full reintegration.
   */
  Path quietFile() throws Exception {
    Path quiet = a.get(0).resolve("same-size");
    Files.writeString(quiet, "AAAA");
    Files.setLastModifiedTime(quiet, OLD);
    barrier();
    assertSameTrees("before the failure");
    awaitNoDirtyZones();
    return quiet;
  }

  /**
   * Recovery of a primary whose replication failed (spec C.7): a secondary that connects is
   * refused; once node 1 is stopped and started ({@code rfs.degraded} down), node 2 is reintegrated
   * in full and both trees are the same.
   */
  void assertRefusedThenRecoveredInFull() throws Exception {
    long limit = 60_000;
    two.clear();
    node2.stopSecondary(Duration.ofSeconds(5));
    node2.startSecondary("");
    String refused = two.await(e -> e.startsWith("reintegrated "), limit);
    org.junit.Assert.assertTrue(
        refused, refused.startsWith("reintegrated false replication failed on the primary"));

    node2.stopSecondary(Duration.ofSeconds(5));
    node1.stopPrimary(Duration.ofSeconds(5));
    one.await(e -> e.equals("resource rfs.degraded=down"), limit);
    one.clear();
    two.clear();
    node1.startPrimary(false);
    node2.startSecondary("");
    one.await(e -> e.equals("attached"), limit);
    org.junit.Assert.assertEquals(
        "reintegrated true", two.await(e -> e.startsWith("reintegrated "), limit));
    org.junit.Assert.assertTrue(
        two.events().toString(),
        two.events()
            .contains("log I reintegre Full synchronization of the replicated directories"));
    barrier();
    assertSameTrees("reintegrated in full after the primary was restarted");
  }

  /** Waits until node one's flushes have emptied its record of dirty zones. */
  void awaitNoDirtyZones() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (node1.status().dirtyZones() != 0) {
      org.junit.Assert.assertTrue(
          "zones never flushed: " + node1.status(), System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }
}
