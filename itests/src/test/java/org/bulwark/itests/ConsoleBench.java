package org.bulwark.itests;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The console's benchmark (issue 12): the time from a module state change on a node (the time of
 * its {@code Local state} row in the module log) to its display in a connected console (headless
 * Chromium), against a plain {@code /events} client of the same node in the same run; and the same
 * for a module on another node, whose states the console's node relays ({@code /events/cluster}).
 * The browser side is {@code bundles/console/src/main/web/e2e/latency.bench.mjs}, which also
 * reports the bytes of the console's first load. Not part of the test suite:
 *
 * <pre>
 * mvn -B -o verify -pl itests -Dit.test=ConsoleBench -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false [-Dbench.changes=10]
 * </pre>
 */
public class ConsoleBench {
  private static final String ADDRESS = "127.0.0.246";
  private static final String ADDRESS2 = "127.0.0.247";
  private static final int PORT = 19246;
  private static final String RCMD_PASSWORD = "bench-console-rcmd";
  private static final String MODULE = "bench";
  private static final String PASSWORD = "bench-console-admin";

  private static Result ok(Result r) {
    assertEquals(r.toString(), 0, r.exitCode());
    return r;
  }

  @Test
  public void stateChangeToConsoleDisplay() throws Exception {
    Path web = Path.of(System.getProperty("bulwark.console.web"));
    int changes = Integer.getInteger("bench.changes", 10);
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      ok(node.safekit("webservercfg", "-passwd", PASSWORD));
      Path work = node.home.getParent();
      Path safe = SafePackage.tracing(MODULE, work.resolve("trace"), "").writeTo(work);
      ok(node.safekit("module", "install", "-m", MODULE, safe.toString()));
      ok(node.safekit("config", "-m", MODULE));
      ok(node.safekit("start", "-m", MODULE));
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      Result bench =
          NodeProcess.run(
              List.of("node", web.resolve("e2e/latency.bench.mjs").toString()),
              Map.of(
                  "CONSOLE",
                  "http://" + ADDRESS + ":" + PORT + "/console/",
                  "ADMIN_PW",
                  PASSWORD,
                  "MODULE",
                  MODULE,
                  "CHANGES",
                  Integer.toString(changes)),
              Duration.ofMinutes(10));
      System.out.println(bench.out());
      assertEquals(bench.toString(), 0, bench.exitCode());
    }
  }

  /** The module on node 2; the console on node 1 shows it through node 1's relay. */
  @Test
  public void remoteStateChangeToConsoleDisplay() throws Exception {
    Path web = Path.of(System.getProperty("bulwark.console.web"));
    int changes = Integer.getInteger("bench.changes", 10);
    try (NodeProcess n1 = NodeProcess.copy(ADDRESS, PORT);
        NodeProcess n2 = NodeProcess.copy(ADDRESS2, PORT)) {
      ok(n1.start());
      ok(n2.start());
      for (NodeProcess n : List.of(n1, n2)) {
        ok(n.safekit("webservercfg", "-passwd", PASSWORD));
        ok(n.safekit("webservercfg", "-rcmdpasswd", RCMD_PASSWORD));
        Path xml = n.home.getParent().resolve("cluster.xml");
        Files.writeString(xml, MirrorPair.clusterXml(List.of(ADDRESS, ADDRESS2)));
        ok(n.safekit("cluster", "config", xml.toString()));
      }
      Path work = n2.home.getParent();
      Path safe = SafePackage.tracing(MODULE, work.resolve("trace"), "").writeTo(work);
      ok(n2.safekit("module", "install", "-m", MODULE, safe.toString()));
      ok(n2.safekit("config", "-m", MODULE));
      ok(n2.safekit("start", "-m", MODULE));
      ok(n2.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
      Result bench =
          NodeProcess.run(
              List.of("node", web.resolve("e2e/latency.bench.mjs").toString()),
              Map.of(
                  "CONSOLE",
                  "http://" + ADDRESS + ":" + PORT + "/console/",
                  "CHANGED",
                  "http://" + ADDRESS2 + ":" + PORT + "/",
                  "NODE",
                  "n2",
                  "ADMIN_PW",
                  PASSWORD,
                  "MODULE",
                  MODULE,
                  "CHANGES",
                  Integer.toString(changes)),
              Duration.ofMinutes(10));
      System.out.println(bench.out());
      assertEquals(bench.toString(), 0, bench.exitCode());
    }
  }
}
