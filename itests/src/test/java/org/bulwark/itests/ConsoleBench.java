package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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

  @Test
  public void stateChangeToConsoleDisplay() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      ok(node.safekit("webservercfg", "-passwd", PASSWORD));
      startModule(node);
      bench(Map.of());
    }
  }

  /** The module on node 2; the console on node 1 shows it through node 1's relay. */
  @Test
  public void remoteStateChangeToConsoleDisplay() throws Exception {
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
      startModule(n2);
      bench(Map.of("CHANGED", "http://" + ADDRESS2 + ":" + PORT + "/", "NODE", "n2"));
    }
  }

  /** The tracing module installed, configured and started on {@code node}, UP. */
  private static void startModule(NodeProcess node) throws Exception {
    Path work = node.home.getParent();
    Path safe = SafePackage.tracing(MODULE, work.resolve("trace"), "").writeTo(work);
    ok(node.safekit("module", "install", "-m", MODULE, safe.toString()));
    ok(node.safekit("config", "-m", MODULE));
    ok(node.safekit("start", "-m", MODULE));
    ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));
  }

  /**
   * Runs the browser side against node 1's console, {@code where} saying where the states change
   * when not on node 1; prints its figures and fails unless it ends well.
   */
  private static void bench(Map<String, String> where) throws Exception {
    Path web = Path.of(System.getProperty("bulwark.console.web"));
    Map<String, String> env = new HashMap<>(where);
    env.put("CONSOLE", "http://" + ADDRESS + ":" + PORT + "/console/");
    env.put("ADMIN_PW", PASSWORD);
    env.put("MODULE", MODULE);
    env.put("CHANGES", Integer.toString(Integer.getInteger("bench.changes", 10)));
    Result bench =
        NodeProcess.run(
            List.of("node", web.resolve("e2e/latency.bench.mjs").toString()),
            env,
            Duration.ofMinutes(10));
    System.out.println(bench.out());
    ok(bench);
  }
}
