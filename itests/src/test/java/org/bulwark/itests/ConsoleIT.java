package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.MirrorPair.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The web console end to end (issue 12 item 3, spec G.4): two real nodes on loopback with a mirror
 * module PRIM on the first and SECOND on the second; a real browser (Debian's headless Chromium,
 * driven by playwright-core from the console's own npm packages) logs in, sees PRIM and SECOND,
 * stops the primary from the console, watches the failover, reads the log line, and a Monitor user
 * can change nothing. The steps are in {@code bundles/console/src/main/web/e2e/console.e2e.mjs};
 * the screenshots land in {@code target/console-e2e/}.
 */
public class ConsoleIT {
  private static final String ADDR1 = "127.0.0.210";
  private static final String ADDR2 = "127.0.0.211";
  private static final int PORT1 = 19210;
  private static final int PORT2 = 19211;
  private static final int STEP_SECONDS = 60;
  private static final String ADMIN_PW = "it-console-admin";
  private static final String MON_PW = "it-console-monitor";

  @Test
  public void aBrowserWatchesTheFailoverAndAMonitorCannotAct() throws Exception {
    Path web = Path.of(System.getProperty("bulwark.console.web"));
    Path script = web.resolve("e2e/console.e2e.mjs");
    assertTrue(
        "playwright-core is not installed under " + web + ": build bundles/console first",
        Files.isDirectory(web.resolve("node_modules/playwright-core")));
    Path shots = Path.of(System.getProperty("bulwark.console.shots", "target/console-e2e"));

    try (MirrorPair pair =
        new MirrorPair(ADDR1, PORT1, ADDR2, PORT2, "pulse=\"100\" timeout=\"2000\"")) {
      NodeProcess n1 = pair.n1;
      NodeProcess n2 = pair.n2;
      for (NodeProcess n : List.of(n1, n2)) {
        ok(n.safekit("webservercfg", "-passwd", ADMIN_PW));
        ok(n.safekit("webservercfg", "-passwd", MON_PW, "-user", "mon", "-role", "Monitor"));
      }
      ok(n1.safekit("prim", "-m", MODULE));
      pair.await(n1, "ALONE", STEP_SECONDS);
      ok(n2.safekit("start", "-m", MODULE));
      pair.await(n2, "SECOND", STEP_SECONDS);
      pair.await(n1, "PRIM", STEP_SECONDS);

      Result e2e =
          NodeProcess.run(
              List.of("node", script.toString()),
              Map.of(
                  "CONSOLE1",
                  "http://" + ADDR1 + ":" + PORT1 + "/console/",
                  "CONSOLE2",
                  "http://" + ADDR2 + ":" + PORT2 + "/console/",
                  "ADMIN_PW",
                  ADMIN_PW,
                  "MON_PW",
                  MON_PW,
                  "SHOTS",
                  shots.toAbsolutePath().toString(),
                  "MODULE",
                  MODULE),
              Duration.ofMinutes(5));
      System.out.println(e2e.out());
      assertEquals(e2e + "\n" + pair.logs(), 0, e2e.exitCode());

      // what the browser did really happened: node 1 stopped, node 2 took over alone (spec C.2)
      pair.await(n1, "STOP", STEP_SECONDS);
      pair.await(n2, "ALONE", STEP_SECONDS);
      // the Monitor user's attempt left nothing in the commands log of node 1
      String cmdlog = ok(n1.safekit("cmdlog")).out();
      assertTrue(cmdlog, cmdlog.contains("stop -m " + MODULE + " -u admin@"));
      assertTrue(cmdlog, !cmdlog.contains("-u mon@"));
    }
  }
}
