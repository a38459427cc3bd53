package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * {@code kill -9} of a node loses no committed row of its store, and the node restarts in place
 * over the stale pid file, lock and socket that the kill left behind (issue 2, spec G.7).
 */
public class NodeKillIT {
  private static final int COMMANDS = 15;

  @Test
  public void everyAnsweredCommandSurvivesKillNine() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.0.22", 19010)) {
      Result start = node.start();
      assertEquals(start + node.karafLog(), 0, start.exitCode());
      for (int i = 0; i < COMMANDS; i++) {
        // each answered command was journaled (START and END committed) before the answer
        assertEquals(0, node.safekit("-p", "-m", "probe" + i).exitCode());
      }
      node.kill9();
      Result down = node.safekit("level");
      assertEquals(down.toString(), 3, down.exitCode());

      Result restart = node.start();
      assertEquals(restart + node.karafLog(), 0, restart.exitCode());
      Result cmdlog = ok(node.safekit("cmdlog", "-s", "1000"));
      for (int i = 0; i < COMMANDS; i++) {
        Matcher m =
            Pattern.compile(
                    "\\| safekit \\| probe" + i + " \\| (\\d+) \\| START \\| -p -m probe" + i + "$",
                    Pattern.MULTILINE)
                .matcher(cmdlog.out());
        assertTrue("command " + i + " lost:\n" + cmdlog.out(), m.find());
        assertTrue(
            "END of command " + i + " lost:\n" + cmdlog.out(),
            cmdlog.out().contains(" |  |  | " + m.group(1) + " | END | 0\n"));
      }
      assertEquals(0, node.stop().exitCode());
    }
  }
}
