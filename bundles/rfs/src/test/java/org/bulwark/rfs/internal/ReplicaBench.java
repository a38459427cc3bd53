package org.bulwark.rfs.internal;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.LocalTrees;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.rfs.ReplicationSetup;
import org.bulwark.api.store.EventLevel;
import org.bulwark.fuse.internal.ConfinedTrees;
import org.bulwark.fuse.internal.FuseFileSystemDriver;

/**
 * The replication benchmark's nodes (bundles/rfs/bench/replication-bench.sh; figures in
 * docs/benchmarks.md, "Replication"): one module's replication of one directory, run by the
 * bundle's own {@link ModuleRfs} over real TCP between two loopback addresses, with a real FUSE
 * mount on the primary and real confined trees, as {@link Pair} runs it in the tests.
 *
 * <pre>
 * ReplicaBench primary   DIR STATE ADDR PEER PORT ASYNC [--probe] [--zone BYTES]
 * ReplicaBench secondary DIR STATE ADDR PEER PORT ASYNC [--probe] [--zone BYTES]
 * ReplicaBench pair      DIR_A DIR_B STATE ADDR_A ADDR_B PORT ASYNC [--probe] [--zone BYTES]
 * ReplicaBench tree|many|change …   (ReplicaBenchTree)
 * ReplicaBench tcp|rtt …            (ReplicaBenchNet)
 * </pre>
 *
 * A {@code primary} mounts over DIR and prints {@code READY DIR}; a {@code secondary} connects to
 * PEER:PORT, and once its first reintegration ended prints {@code READY DIR MILLIS}; a {@code pair}
 * runs both in this JVM (each node with its own event loops and threads, as two nodes have) and
 * prints {@code READY DIR_A MILLIS}. Then each serves until its standard input closes or it gets
 * SIGTERM, and stops cleanly (unmounting). Commands on standard input, one per line: {@code stop}
 * (the secondary stops: {@code STOPPED}), {@code start [POLICY]} (it starts again and is
 * reintegrated: {@code REINTEGRATED ok MILLIS}), {@code stats} (the probe's figures, {@code STAT}
 * lines, then {@code END}), {@code status}. What the replication reports goes to standard output as
 * {@code EVENT} lines (resources left out).
 */
public final class ReplicaBench {
  private static final PrintStream OUT = System.out;

  private ReplicaBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "primary", "secondary" -> serve(args[0], rest);
      case "pair" -> pair(rest);
      case "tree", "many", "change" -> ReplicaBenchTree.main(args);
      case "tcp", "rtt" -> ReplicaBenchNet.main(args);
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println(
        "usage: ReplicaBench primary|secondary DIR STATE ADDR PEER PORT ASYNC [--probe] [--zone B]"
            + " [--nbrei N] [--nbremconn N]\n"
            + "       ReplicaBench pair DIR_A DIR_B STATE ADDR_A ADDR_B PORT ASYNC [--probe]"
            + " [--zone B] [--nbrei N] [--nbremconn N]\n"
            + "       ReplicaBench tree|many|change|tcp|rtt ...");
    System.exit(2);
  }

  static synchronized void say(String line) {
    OUT.println(line);
    OUT.flush();
  }

  /** What a bench node reports: printed, and the end of a reintegration awaited. */
  private static final class Events implements ReplicationEvents {
    private final String node;
    private volatile CompletableFuture<Boolean> reintegrated = new CompletableFuture<>();

    Events(String node) {
      this.node = node;
    }

    CompletableFuture<Boolean> next() {
      reintegrated = new CompletableFuture<>();
      return reintegrated;
    }

    @Override
    public void log(EventLevel level, String component, String message) {
      say("EVENT " + node + " log " + level + " " + component + " " + message);
    }

    @Override
    public void resource(String name, String value) {}

    @Override
    public void reintegrationEnded(boolean ok, String detail) {
      say("EVENT " + node + " reintegrated " + ok + (detail.isEmpty() ? "" : " " + detail));
      reintegrated.complete(ok);
    }

    @Override
    public void replicationLost(String reason) {
      say("EVENT " + node + " lost " + reason);
    }

    @Override
    public void reintegrationStarted() {
      say("EVENT " + node + " reintegration started");
    }

    @Override
    public CompletableFuture<Void> degraded(String reason) {
      say("EVENT " + node + " degraded " + reason);
      return CompletableFuture.completedFuture(null);
    }
  }

  /** One node: its replication, its own event loops and threads, and what reports on it. */
  private static final class Node {
    final String name;
    final Path dir;
    final Events events;
    final ReplicaBenchProbe probe;
    final ModuleRfs rfs;
    final NioEventLoopGroup loop = new NioEventLoopGroup(2);
    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);

    Node(String name, Path dir, Path state, Rfs rfs, String addr, String peer, int port, boolean p)
        throws IOException {
      this.name = name;
      this.dir = dir;
      this.events = new Events(name);
      this.probe = p ? new ReplicaBenchProbe(name) : null;
      Files.createDirectories(state);
      ReplicationSetup setup =
          new ReplicationSetup(
              "bench",
              name,
              rfs,
              new InetSocketAddress(addr, port),
              new InetSocketAddress(peer, port),
              state);
      FileSystemDriver driver = new FuseFileSystemDriver();
      LocalTrees trees = new ConfinedTrees();
      if (probe != null) {
        driver = probe.driver(driver);
        trees = probe.trees(trees);
      }
      this.rfs = new ModuleRfs(setup, events, driver, trees, loop, workers, timers, List.of(dir));
    }

    /** Starts following and waits for the end of the reintegration; its time in ms. */
    long follow(String policy) throws Exception {
      CompletableFuture<Boolean> done = events.next();
      long t0 = System.nanoTime();
      rfs.startSecondary(policy);
      boolean ok = done.get(6, TimeUnit.HOURS);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      if (!ok) {
        throw new IOException(name + ": reintegration failed");
      }
      return millis;
    }

    void stop() {
      try {
        rfs.stopSecondary(Duration.ofSeconds(5));
        rfs.stopPrimary(Duration.ofSeconds(5));
      } catch (IOException e) {
        System.err.println(name + ": stop: " + e);
      }
      timers.shutdownNow();
      workers.shutdownNow();
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static Map<String, String> options(String[] args, int positional) {
    Map<String, String> o = new HashMap<>();
    for (int i = positional; i < args.length; i++) {
      switch (args[i]) {
        case "--probe" -> o.put("probe", "true");
        case "--zone" -> o.put("zone", args[++i]);
        case "--nbrei" -> o.put("nbrei", args[++i]);
        case "--nbremconn" -> o.put("nbremconn", args[++i]);
        default -> usage();
      }
    }
    return o;
  }

  private static Rfs rfs(String async, Map<String, String> o) {
    Rfs.Async a = Rfs.Async.valueOf(async.toUpperCase(java.util.Locale.ROOT));
    long zone = Long.parseLong(o.getOrDefault("zone", "8388608"));
    // the configured path is the same on both nodes; here each node's directory stands for it
    Rfs rfs = TestRfs.of(List.of("/srv/bench"), a, zone);
    if (o.containsKey("nbrei")) {
      rfs = TestRfs.withStreams(rfs, Integer.parseInt(o.get("nbrei")));
    }
    return o.containsKey("nbremconn")
        ? TestRfs.withConnections(rfs, Integer.parseInt(o.get("nbremconn")))
        : rfs;
  }

  private static void serve(String role, String[] a) throws Exception {
    if (a.length < 6) {
      usage();
    }
    Map<String, String> o = options(a, 6);
    Node node =
        new Node(
            role,
            Path.of(a[0]),
            Path.of(a[1]),
            rfs(a[5], o),
            a[2],
            a[3],
            Integer.parseInt(a[4]),
            o.containsKey("probe"));
    List<Node> nodes = List.of(node);
    stopOnExit(nodes);
    if (role.equals("primary")) {
      node.rfs.startPrimary(false);
      say("READY " + node.dir);
      commands(nodes, null);
    } else {
      long millis = node.follow("");
      say("READY " + node.dir + " " + millis);
      commands(nodes, node);
    }
  }

  private static void pair(String[] a) throws Exception {
    if (a.length < 7) {
      usage();
    }
    Map<String, String> o = options(a, 7);
    Rfs rfs = rfs(a[6], o);
    Path state = Path.of(a[2]);
    int port = Integer.parseInt(a[5]);
    boolean probe = o.containsKey("probe");
    Node primary =
        new Node("primary", Path.of(a[0]), state.resolve("a"), rfs, a[3], a[4], port, probe);
    Node secondary =
        new Node("secondary", Path.of(a[1]), state.resolve("b"), rfs, a[4], a[3], port, probe);
    List<Node> nodes = List.of(primary, secondary);
    stopOnExit(nodes);
    primary.rfs.startPrimary(false);
    long millis = secondary.follow("");
    say("READY " + primary.dir + " " + millis);
    commands(nodes, secondary);
  }

  private static void stopOnExit(List<Node> nodes) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  List<Node> last = new ArrayList<>(nodes);
                  java.util.Collections.reverse(last); // the secondary first
                  last.forEach(Node::stop);
                }));
  }

  /** Serves the commands on standard input until it closes. */
  private static void commands(List<Node> nodes, Node secondary) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split("\\s+", 2);
      try {
        switch (w[0]) {
          case "stop" -> {
            secondary.rfs.stopSecondary(Duration.ofSeconds(5));
            say("STOPPED");
          }
          case "start" -> say("REINTEGRATED ok " + secondary.follow(w.length > 1 ? w[1] : ""));
          case "stats" -> {
            for (Node n : nodes) {
              if (n.probe != null) {
                n.probe.print(OUT);
              }
            }
            say("END");
          }
          case "status" -> nodes.forEach(n -> say("STATUS " + n.name + " " + n.rfs.status()));
          case "" -> {}
          default -> say("ERROR unknown command " + w[0]);
        }
      } catch (Exception e) {
        say("ERROR " + e);
      }
    }
    System.exit(0); // the shutdown hook stops the nodes
  }
}
