package org.bulwark.itests;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.bulwark.itests.NodeProcess.Result;

/**
 * The network lab (DESIGN, test pyramid level 5): N real nodes, each in a network namespace of its
 * own with a lab address ({@code 10.213.0.K}) and in a mount namespace of its own with a private
 * directory at the lab's shared path, a client namespace ({@link LabNetwork#CLIENT_ADDRESS}), all
 * cabled to one switch in a namespace of its own; and the faults a network and its machines make:
 * kill -9 of a node, a cable pulled, a partition between chosen nodes, a lossy, duplicating or
 * delaying cable.
 *
 * <pre>
 *   try (NetLab lab = NetLab.create(2)) {
 *     lab.startAll();
 *     lab.node(1).safekit("level");
 *     lab.partition(List.of(lab.node(1)), List.of(lab.node(2)));
 *   }
 * </pre>
 *
 * {@link #close()} removes everything the lab created whatever happened in the test, and a JVM
 * shutdown hook does so when the JVM exits first; what a JVM killed outright left behind is removed
 * by the next lab ({@link LabRun#removeLeftovers}). Every node has the product's default ports: the
 * namespaces keep the nodes apart.
 */
final class NetLab implements AutoCloseable {
  static final int WEB_PORT = 9010;

  private static final Duration HTTP_DEADLINE = Duration.ofSeconds(15);

  final LabRun run;
  private final List<LabNode> nodes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::closeAtExit, "netlab-cleanup");
  private LabNetwork network;
  private ReplicatedPath disks;
  private boolean closed;

  private NetLab(LabRun run) {
    this.run = run;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Builds the network and {@code nodeCount} node copies, none started yet (after removing the
   * leftovers of dead runs).
   */
  static NetLab create(int nodeCount) throws Exception {
    NetLab lab = new NetLab(LabRun.begin());
    try {
      lab.network = LabNetwork.create(lab.run, nodeCount);
      lab.disks = ReplicatedPath.createIn(lab.run.dir);
      for (int k = 1; k <= nodeCount; k++) {
        NodeProcess p = NodeProcess.copy(LabNetwork.address(k), WEB_PORT, lab.run.dir);
        p.webOnEveryAddress(); // its own namespace: a VIP reaches its web service too
        NodeNamespace ns;
        try {
          ns = lab.disks.attach(p);
        } catch (Exception e) {
          p.close();
          throw e;
        }
        ns.inNetwork(lab.network.node(k));
        lab.nodes.add(new LabNode(k, lab.network.node(k), p, ns, lab.nodes));
      }
      return lab;
    } catch (Exception | AssertionError e) {
      try {
        lab.close();
      } catch (Exception f) {
        e.addSuppressed(f);
      }
      throw e;
    }
  }

  /** Starts every node, in parallel; fails with a node's start output and log troubles. */
  void startAll() throws Exception {
    List<CompletableFuture<Result>> starts = new ArrayList<>();
    for (LabNode n : nodes) {
      starts.add(Concurrently.start(n::start));
    }
    for (int i = 0; i < nodes.size(); i++) {
      try {
        Result r = starts.get(i).join();
        assertEquals(nodes.get(i) + " did not start: " + r, 0, r.exitCode());
      } catch (CompletionException e) {
        throw (Exception) e.getCause();
      }
    }
  }

  /** Node {@code k}, 1-based. */
  LabNode node(int k) {
    return nodes.get(k - 1);
  }

  List<LabNode> nodes() {
    return List.copyOf(nodes);
  }

  LabNetwork network() {
    return network;
  }

  /** The path every node replicates; each node sees its own private directory there. */
  Path sharedPath() {
    return disks.shared;
  }

  /**
   * Applies a cluster.xml naming every node ({@code n1} … on lan {@code default}, their lab
   * addresses) on every node ({@code safekit cluster config}).
   */
  void configureCluster() throws IOException, InterruptedException {
    Path xml = run.dir.resolve("cluster.xml");
    Files.writeString(xml, MirrorPair.clusterXml(nodes.stream().map(n -> n.address).toList()));
    for (LabNode n : nodes) {
      Result r = n.safekit("cluster", "config", xml.toString());
      assertEquals(n + ": " + r, 0, r.exitCode());
    }
  }

  /** Runs {@code command} in the client's namespace to its end, at most {@code deadline}. */
  Result client(Duration deadline, String... command) throws IOException, InterruptedException {
    return LabNetwork.in(network.client, deadline, command);
  }

  /**
   * The HTTP status of {@code GET http://<node>:9010<path>} asked from the client's namespace, 0
   * when no answer came (refused, unreachable, timed out after 5 s).
   */
  int httpStatus(LabNode n, String path) throws IOException, InterruptedException {
    Result r =
        client(
            HTTP_DEADLINE,
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "5",
            "http://" + n.address + ":" + WEB_PORT + path);
    return Integer.parseInt(r.out().trim());
  }

  /** No frame passes between {@code n} and the client until {@link #heal}; the nodes still meet. */
  void cutFromClient(LabNode n) throws IOException, InterruptedException {
    network.cutFromClient(indexes(List.of(n)).iterator().next());
  }

  /** No frame passes between a node of {@code a} and a node of {@code b} until {@link #heal}. */
  void partition(Collection<LabNode> a, Collection<LabNode> b)
      throws IOException, InterruptedException {
    network.partition(indexes(a), indexes(b));
  }

  void heal() throws IOException, InterruptedException {
    network.heal();
  }

  /** Node {@code n}'s cable pulled: its eth0 sees NO-CARRIER. */
  void pullCable(LabNode n) throws IOException, InterruptedException {
    network.cable(n.index, false);
  }

  void plugCable(LabNode n) throws IOException, InterruptedException {
    network.cable(n.index, true);
  }

  /** Node {@code n}'s own eth0 set down in its namespace: it loses its route to the lab. */
  void interfaceDown(LabNode n) throws IOException, InterruptedException {
    network.nodeInterface(n.index, false);
  }

  void interfaceUp(LabNode n) throws IOException, InterruptedException {
    network.nodeInterface(n.index, true);
  }

  void impair(LabNode n, Impairment impairment) throws IOException, InterruptedException {
    network.impair(n.index, impairment);
  }

  void clearImpairment(LabNode n) throws IOException, InterruptedException {
    network.clear(n.index);
  }

  private static List<Integer> indexes(Collection<LabNode> nodes) {
    return nodes.stream().map(n -> n.index).toList();
  }

  /**
   * Kills every node and removes its copy, its private directory, the namespaces and the run's
   * directory; every step is tried even when one fails, the first failure thrown with the others
   * suppressed.
   */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    List<Exception> failures = new ArrayList<>();
    for (LabNode n : nodes) {
      attempt(n.process::close, failures);
    }
    if (disks != null) {
      attempt(disks::close, failures);
    }
    if (network != null) {
      attempt(network::close, failures);
    }
    attempt(run::deleteDirectory, failures);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // closed by the hook itself
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private void closeAtExit() {
    try {
      close();
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void attempt(Step step, List<Exception> failures) {
    try {
      step.run();
    } catch (Exception e) {
      failures.add(e);
    }
  }
}
