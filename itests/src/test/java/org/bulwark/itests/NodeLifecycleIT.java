package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The node as an administrator sees it: {@code bin/bulwark start|status|stop}, the {@code safekit}
 * client of that copy (spec F.1: {@code level}, {@code -p}, {@code cmdlog}), the web port, and the
 * client's answer when the node is down.
 */
public class NodeLifecycleIT {

  @Test
  public void startAnswerJournalAndStop() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.0.21", 19010)) {
      Result start = node.start();
      assertEquals(start + node.karafLog(), 0, start.exitCode());
      assertTrue(start.out(), start.out().contains("console http://127.0.0.21:19010/console"));
      assertEquals(0, node.bulwark("status").exitCode());

      Result level = ok(node.safekit("level"));
      assertTrue(level.out(), level.out().contains("Version: Bulwark 0.1.0"));
      assertTrue(level.out(), level.out().contains("License: Demo (No license)"));

      Result paths = ok(node.safekit("-p"));
      assertTrue(paths.out(), paths.out().contains("SAFE=" + node.home.toRealPath() + "\n"));
      assertTrue(paths.out(), paths.out().contains("SAFEVAR=" + node.home.toRealPath() + "/var\n"));
      assertTrue(
          paths.out(),
          paths.out().contains("SAFEBIN=" + node.home.toRealPath() + "/private/bin\n"));

      Result unknown = node.safekit("levle");
      assertEquals(2, unknown.exitCode());
      assertTrue(unknown.err(), unknown.err().contains("did you mean 'level'?"));

      Result cmdlog = ok(node.safekit("cmdlog"));
      assertRow(cmdlog.out(), "level");
      assertRow(cmdlog.out(), "-p");

      HttpResponse<String> api = node.get("/api/v1.0/level");
      assertEquals(200, api.statusCode());
      assertTrue(api.body(), api.body().contains("\"license\":\"Demo (No license)\""));
      assertEquals(200, node.get("/console").statusCode());

      ok(node.stop());
      assertEquals(3, node.bulwark("status").exitCode());
      Result down = node.safekit("level");
      assertEquals(3, down.exitCode());
      assertTrue(down.err(), down.err().startsWith("Waiting for safeadmin ."));
      assertTrue(
          down.err(), down.err().endsWith("Error: safeadmin administrator daemon not running\n"));
    }
  }

  /**
   * Asserts that the commands log has a START row for {@code commandLine} and its END row with exit
   * code 0 (spec G.7 layout: {@code time | type | module | id | START | text}).
   */
  static void assertRow(String cmdlog, String commandLine) {
    Matcher m =
        Pattern.compile(
                "\\| safekit \\|  \\| (\\d+) \\| START \\| " + Pattern.quote(commandLine) + "$",
                Pattern.MULTILINE)
            .matcher(cmdlog);
    assertTrue("no START row for '" + commandLine + "' in\n" + cmdlog, m.find());
    String id = m.group(1);
    assertTrue(
        "no END 0 for command " + id + " in\n" + cmdlog,
        cmdlog.contains(" |  |  | " + id + " | END | 0\n"));
  }
}
