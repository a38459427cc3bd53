package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.bulwark.itests.NodeProcess.Result;

/**
 * Two real nodes holding one mirror module (issue 5): node copies on their own loopback addresses,
 * one cluster.xml naming both, and a {@code .safe} whose scripts append {@code "<script> <args>"}
 * to a trace file per node. {@link #close()} removes both nodes whatever happened.
 */
final class MirrorPair implements AutoCloseable {
  static final String MODULE = "mirror";
  static final String[] SCRIPTS = {
    "prestart",
    "start_prim",
    "stop_prim",
    "start_second",
    "stop_second",
    "start_both",
    "stop_both",
    "start_sec",
    "stop_sec",
    "poststop"
  };

  /** A node that does not answer (frozen, hung) must not hold a failure's report for long. */
  private static final Duration LOG_DEADLINE = Duration.ofSeconds(15);

  final NodeProcess n1;
  final NodeProcess n2;

  /** The nodes' mount namespaces when the pair runs in a {@link ReplicatedPath}, else null. */
  final NodeNamespace ns1;

  final NodeNamespace ns2;

  /**
   * Copies and starts both nodes (in parallel), applies the cluster configuration, installs and
   * configures the module with the given {@code <heart>} attributes (e.g. {@code pulse="100"
   * timeout="2000"}, or empty for the defaults).
   */
  MirrorPair(String addr1, int port1, String addr2, int port2, String heartAttributes)
      throws Exception {
    this(addr1, port1, addr2, port2, heartAttributes, null, "");
  }

  /**
   * As above, with each node attached to {@code lab} before its first start, so that it runs in a
   * mount namespace of its own with its private directory at {@code lab.shared} ({@link #ns1},
   * {@link #ns2}); {@code serviceXml} goes into {@code <service>} after {@code <heart>} (e.g. an
   * {@code <rfs>} replicating the shared path). The lab stays the caller's to close, after the
   * pair.
   */
  MirrorPair(
      String addr1,
      int port1,
      String addr2,
      int port2,
      String heartAttributes,
      ReplicatedPath lab,
      String serviceXml)
      throws Exception {
    List<NodeProcess> created = new ArrayList<>();
    List<NodeNamespace> attached = new ArrayList<>();
    try {
      created.add(NodeProcess.copy(addr1, port1));
      created.add(NodeProcess.copy(addr2, port2));
      if (lab != null) {
        for (NodeProcess n : created) {
          attached.add(lab.attach(n));
        }
      }
    } catch (Exception e) {
      for (NodeProcess n : created) {
        n.close();
      }
      throw e;
    }
    n1 = created.get(0);
    n2 = created.get(1);
    ns1 = lab == null ? null : attached.get(0);
    ns2 = lab == null ? null : attached.get(1);
    try {
      CompletableFuture<Result> s1 = Concurrently.start(n1::start);
      CompletableFuture<Result> s2 = Concurrently.start(n2::start);
      ok(s1.join());
      ok(s2.join());
      String cluster = clusterXml(List.of(addr1, addr2));
      for (NodeProcess n : List.of(n1, n2)) {
        Path work = n.home.getParent();
        Path xml = work.resolve("cluster.xml");
        Files.writeString(xml, cluster);
        // the cluster first: a module runtime reads it when its configuration is applied
        ok(n.safekit("cluster", "config", xml.toString()));
        Path safe = mirrorPackage(trace(n), heartAttributes, serviceXml).writeTo(work);
        ok(n.safekit("module", "install", "-m", MODULE, safe.toString()));
        ok(n.safekit("config", "-m", MODULE));
      }
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  static Path trace(NodeProcess n) {
    return n.home.getParent().resolve("trace");
  }

  static List<String> traceOf(NodeProcess n) throws IOException {
    Path t = trace(n);
    return Files.exists(t) ? Files.readAllLines(t) : List.of();
  }

  /** One lan, {@code default}, holding nodes {@code n1}, {@code n2}, … at these addresses. */
  static String clusterXml(List<String> addresses) {
    StringBuilder b =
        new StringBuilder("<cluster>\n  <lans>\n    <lan name=\"default\" command=\"on\">\n");
    for (int i = 0; i < addresses.size(); i++) {
      b.append("      <node name=\"n")
          .append(i + 1)
          .append("\" addr=\"")
          .append(addresses.get(i))
          .append("\"/>\n");
    }
    return b.append("    </lan>\n  </lans>\n</cluster>\n").toString();
  }

  /** The mirror module: its scripts append {@code "<script> <args>"} to {@code trace}. */
  static SafePackage mirrorPackage(Path trace, String heartAttributes, String serviceXml) {
    SafePackage p =
        new SafePackage(
            MODULE,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\">\n"
                + "    <heart "
                + heartAttributes
                + ">\n      <heartbeat name=\"default\" ident=\"0\"/>\n    </heart>\n"
                + serviceXml
                + "    <user nicestoptimeout=\"5\" forcestoptimeout=\"5\">\n"
                + "      <var name=\"TRACE\" value=\""
                + trace
                + "\"/>\n    </user>\n  </service>\n</safe>\n");
    for (String s : SCRIPTS) {
      // the trace for the tests; stdout goes to the application log (the console shows it)
      p.script(s, "echo \"" + s + " $*\" >> \"$TRACE\"\necho \"" + s + ": called with '$*'\"\n");
    }
    return p;
  }

  /**
   * Waits until the module on {@code n} is in {@code state} and not in transition, at most {@code
   * seconds} (a bounded {@code safekit waitstate}); fails with both nodes' module logs otherwise.
   */
  void await(NodeProcess n, String state, int seconds) throws Exception {
    Result r =
        NodeProcess.run(
            List.of(
                "timeout",
                Integer.toString(seconds),
                n.home.resolve("safekit").toString(),
                "waitstate",
                "-m",
                MODULE,
                state),
            Map.of("SAFEKIT_WAIT", "1"));
    if (r.exitCode() != 0) {
      fail(
          n.address + " did not reach " + state + " within " + seconds + "s: " + r + "\n" + logs());
    }
  }

  /** The module's health-check URL on {@code n} (spec G.10). */
  int ready(NodeProcess n) throws Exception {
    return n.get("/var/modules/" + MODULE + "/ready.txt").statusCode();
  }

  String state(NodeProcess n) throws Exception {
    return n.safekit("state", "-m", MODULE).out().trim();
  }

  String logs() {
    StringBuilder b = new StringBuilder();
    for (NodeProcess n : List.of(n1, n2)) {
      try {
        b.append("--- module log of ")
            .append(n.address)
            .append('\n')
            .append(
                NodeProcess.run(
                        List.of(n.home.resolve("safekit").toString(), "log", "-m", MODULE, "-A"),
                        Map.of("SAFEKIT_WAIT", "1"),
                        LOG_DEADLINE)
                    .out());
      } catch (Exception e) {
        b.append("(no log of ").append(n.address).append(": ").append(e).append(")\n");
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws Exception {
    try {
      n1.close();
    } finally {
      n2.close();
    }
  }
}
