package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;

/**
 * One node of the network lab: a real distribution ({@link NodeProcess}) whose JVM, scripts and the
 * commands run beside it live in the node's network namespace, with its lab address, and in a mount
 * namespace of its own with its private directory at the lab's shared path ({@link NodeNamespace}).
 * The test JVM stays in the host's namespaces: it reaches the node through commands run in the
 * node's namespace ({@link #safekit}, {@link #run}), never over the network.
 */
final class LabNode {
  private static final Duration LOG_DEADLINE = Duration.ofSeconds(15);

  /** 1-based, as in {@code n1}: the cluster.xml name, the switch port, the address's last byte. */
  final int index;

  final String name;
  final String address;

  /** The node's network namespace. */
  final String netns;

  final NodeProcess process;
  final NodeNamespace namespace;

  /** Every node of the lab, this one included: a failure message shows all their logs. */
  private final List<LabNode> lab;

  LabNode(
      int index, String netns, NodeProcess process, NodeNamespace namespace, List<LabNode> lab) {
    this.index = index;
    this.lab = lab;
    this.name = "n" + index;
    this.address = LabNetwork.address(index);
    this.netns = netns;
    this.process = process;
    this.namespace = namespace;
  }

  /** {@code bin/bulwark start} in the node's namespaces; waits until the node is ready. */
  Result start() throws IOException, InterruptedException {
    return process.start();
  }

  Result stop() throws IOException, InterruptedException {
    return process.stop();
  }

  /**
   * kill -9 of every process of the node (its JVM, Karaf's wrapper, module scripts and the
   * applications they started, clients spawned beside it), as a power cut; returns once all are
   * gone. The node can be started again.
   */
  void kill9() throws IOException, InterruptedException {
    namespace.crash();
  }

  /** The node's {@code safekit}, run in its network namespace (as its module scripts run it). */
  Result safekit(String... args) throws IOException, InterruptedException {
    return safekit(Duration.ofSeconds(180), args);
  }

  Result safekit(Duration deadline, String... args) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    c.add(process.home.resolve("safekit").toString());
    c.addAll(List.of(args));
    return NodeProcess.run(c, Map.of("SAFEKIT_WAIT", "1"), deadline);
  }

  /** The node's work folder, beside its distribution: packages and traces go there. */
  Path work() {
    return process.home.getParent();
  }

  /** {@code module} installed from {@code safe}, written to the work folder, and configured. */
  void install(String module, SafePackage safe) throws IOException, InterruptedException {
    ok(safekit("module", "install", "-m", module, safe.writeTo(work()).toString()));
    ok(safekit("config", "-m", module));
  }

  /**
   * {@code module} made primary here (ALONE), then started on {@code second}: SECOND there, PRIM
   * here, each state within {@code step}.
   */
  void primWithSecond(LabNode second, String module, Duration step)
      throws IOException, InterruptedException {
    ok(safekit("prim", "-m", module));
    awaitState(module, "ALONE", step);
    ok(second.safekit("start", "-m", module));
    second.awaitState(module, "SECOND", step);
    awaitState(module, "PRIM", step);
  }

  /** Whether {@code address} is on the node's lab interface (a VIP it holds). */
  boolean holds(String address) {
    try {
      return LabRun.must("ip", "-n", netns, "-o", "addr", "show", "dev", "eth0")
          .out()
          .contains(" " + address + "/");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code command} beside the running node, in its network and mount namespaces, to its end,
   * at most {@code deadline}.
   */
  Result run(Duration deadline, String... command) throws IOException, InterruptedException {
    return namespace.run(deadline, command);
  }

  /**
   * Waits until {@code module} is in {@code state} and not in transition (a {@code safekit
   * waitstate} bounded by {@code deadline}); fails with the module's log otherwise.
   */
  void awaitState(String module, String state, Duration deadline)
      throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    c.addAll(List.of("timeout", Long.toString(deadline.toSeconds())));
    c.addAll(List.of(process.home.resolve("safekit").toString(), "waitstate", "-m", module, state));
    Result r = NodeProcess.run(c, Map.of("SAFEKIT_WAIT", "1"), deadline.plusSeconds(10));
    if (r.exitCode() != 0) {
      throw new AssertionError(
          name
              + " ("
              + address
              + ") did not reach "
              + state
              + " within "
              + deadline
              + ": "
              + r
              + "\n"
              + labLogs(module));
    }
  }

  /** The module's log on every node of the lab, this one first: a peer's view explains a state. */
  String labLogs(String module) {
    StringBuilder b = new StringBuilder(moduleLog(module));
    for (LabNode n : lab) {
      if (n != this) {
        b.append('\n').append(n.moduleLog(module));
      }
    }
    return b.toString();
  }

  /** The hardware address of the node's lab interface ({@code eth0}). */
  String mac() throws IOException, InterruptedException {
    String link = LabRun.must("ip", "-n", netns, "-o", "link", "show", LabNetwork.INTERFACE).out();
    Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(link);
    if (!m.find()) {
      throw new AssertionError("no hardware address for " + this + " in " + link);
    }
    return m.group(1);
  }

  /** {@code safekit state -m module}: the module, its state and level ({@code PRIM Ready}). */
  String state(String module) throws IOException, InterruptedException {
    return safekit("state", "-m", module).out().trim();
  }

  /** The module's whole log, or why there is none (for failure messages). */
  String moduleLog(String module) {
    try {
      return "--- module log of "
          + name
          + "\n"
          + safekit(LOG_DEADLINE, "log", "-m", module, "-A").out();
    } catch (Exception e) {
      return "(no log of " + name + ": " + e + ")\n";
    }
  }

  @Override
  public String toString() {
    return name + " " + address;
  }
}
