package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The console's global menu, the commands log of every node and the "degraded" indication (issue
 * 12, spec G.4, G.7, C.7) on two real nodes with a mirror module PRIM on the first and SECOND on
 * the second. A real browser, logged in on the first node only, sees the module degraded while it
 * runs alone, starts it on all nodes (the stopped secondary follows the primary), stops it on all
 * nodes (the secondary first: nothing fails over), starts it on all nodes again from STOP-STOP (the
 * node that was primary last first), finds the snapshot links of both nodes, reads the second
 * node's commands log, and a Monitor user does not see the menu. The module list then installs a
 * light module's .safe on both nodes, configures it on the second, downloads it, restores its saved
 * configuration there, is refused the running mirror's uninstall, deconfigures and uninstalls it;
 * the Debug entry downloads a node's module log and makes a dump on both. Then the second node is
 * stopped: its commands log shows ERROR and a stop on all nodes leaves it aside. The steps are in
 * {@code bundles/console/src/main/web/e2e/menu.e2e.mjs}; the screenshots land in {@code
 * target/console-e2e/}.
 */
public class ConsoleMenuIT {
  private static final String ADDR1 = System.getProperty("menu.addr1", "127.0.3.1");
  private static final String ADDR2 = System.getProperty("menu.addr2", "127.0.3.2");

  /** One web port for both nodes, as in a cluster ({@code -Dmenu.port=…}). */
  private static final int PORT = Integer.getInteger("menu.port", 19301);

  /** The module the module list installs, configures and removes. */
  private static final String EXTRA = "extra";

  private static final int STEP_SECONDS = 60;

  @Test
  public void theGlobalMenuStartsAndStopsInOrderAndEveryNodesLogIsShown() throws Exception {
    ConsoleScripts e2e = new ConsoleScripts("menu.e2e.mjs", "menu");

    try (MirrorPair pair = e2e.primSecond(ADDR1, ADDR2, PORT, STEP_SECONDS)) {
      NodeProcess n1 = pair.n1;
      NodeProcess n2 = pair.n2;

      String n1Addr = ADDR1 + ":" + PORT;
      String n2Addr = ADDR2 + ":" + PORT;
      Result up = e2e.run(n1Addr, n2Addr, Map.of("PHASE", "up"), Duration.ofMinutes(5));
      ConsoleScripts.assertPassed(up, pair::logs);

      // what the browser did really happened: PRIM-SECOND again, and the stop on all nodes
      // stopped the secondary before the primary (its commands log line comes first)
      pair.await(n1, "PRIM", STEP_SECONDS);
      pair.await(n2, "SECOND", STEP_SECONDS);
      String log2 = ok(n2.safekit("cmdlog")).out();
      assertTrue(log2, log2.contains("stop -m " + MODULE + " -u admin@"));

      // the module list: the .safe the browser uploads, written where the node's files are
      Path safe = CheckerIT.light(EXTRA, "").writeTo(n1.home.getParent());
      Result modules =
          e2e.run(
              n1Addr,
              n2Addr,
              Map.of("PHASE", "modules", "SAFE_FILE", safe.toString()),
              Duration.ofMinutes(5));
      ConsoleScripts.assertPassed(modules, pair::logs);
      for (NodeProcess n : List.of(n1, n2)) {
        String installed = ok(n.safekit("module", "list")).out();
        assertTrue(installed, installed.contains(MODULE) && !installed.contains(EXTRA));
      }
      log2 = ok(n2.safekit("cmdlog")).out();
      // each step of the browser's, run on n2 as the console's user
      for (String verb :
          List.of("module install", "config", "module package", "deconfig", "module uninstall")) {
        assertTrue(
            verb + " -m " + EXTRA + " in\n" + log2,
            log2.lines()
                .anyMatch(
                    l ->
                        l.contains("| START | " + verb + " ")
                            && l.contains("-m " + EXTRA + " -u admin@")));
      }
      pair.await(n1, "PRIM", STEP_SECONDS);

      ok(n2.stop());
      Result down = e2e.run(n1Addr, n2Addr, Map.of("PHASE", "down"), Duration.ofMinutes(3));
      ConsoleScripts.assertPassed(down, pair::logs);
      // the stop on all nodes stopped n1, the only node it reached
      pair.await(n1, "STOP", STEP_SECONDS);
    }
  }
}
