package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The failover machine on two real nodes (issue 11 items 1 and 2, spec B.19, B.20): {@code safekit
 * set -r} on one node drives a rule reading {@code remote.} on the other, through the resources the
 * heartbeats carry, to WAIT and back by {@code Implicit_wakeup}; a rule with a mistake is refused
 * by {@code confcheck} and {@code config} with its line and column, and nothing is applied.
 */
public class FailoverRulesIT {
  private static final int STEP_SECONDS = 60;

  /** Lines 7 to 9 of the module's userconfig.xml (MirrorPair: service, heart, then this). */
  private static final String FAILOVER =
      "    <failover period=\"500ms\" handle_time=\"1000ms\"><![CDATA[\n"
          + "      r2: if (remote.custom.y == down) then wait();\n"
          + "    ]]></failover>\n";

  @Test
  public void aResourceSetOnOneNodeDrivesTheOthersRule() throws Exception {
    try (MirrorPair pair =
        new MirrorPair(
            "127.0.0.110",
            19110,
            "127.0.0.111",
            19111,
            "pulse=\"100\" timeout=\"2000\"",
            null,
            FAILOVER)) {
      NodeProcess n1 = pair.n1;
      NodeProcess n2 = pair.n2;
      ok(n1.safekit("prim", "-m", MODULE));
      pair.await(n1, "ALONE", STEP_SECONDS);
      ok(n2.safekit("start", "-m", MODULE));
      pair.await(n2, "SECOND", STEP_SECONDS);
      pair.await(n1, "PRIM", STEP_SECONDS);

      // n1's resource, read by n2's rule: n2 waits, n1 goes on alone
      ok(n1.safekit("set", "-r", "custom.y", "-v", "down", "-m", MODULE));
      assertEquals("down", ok(n1.safekit("get", "-r", "custom.y", "-m", MODULE)).out().trim());
      pair.await(n2, "WAIT", STEP_SECONDS);
      pair.await(n1, "ALONE", STEP_SECONDS);
      String log2 = ok(n2.safekit("log", "-m", MODULE, "-A")).out();
      assertTrue(log2, log2.contains("Action wait from failover rule r2"));
      assertTrue(log2, log2.contains("Transition WAIT_TR from failover rule r2"));
      String log1 = ok(n1.safekit("log", "-m", MODULE, "-A")).out();
      assertTrue(log1, log1.contains("Resource custom.y set to down by root"));
      assertFalse(log1, log1.contains("from failover rule r2"));

      // back up: Implicit_wakeup, and n2 is the secondary again
      ok(n1.safekit("set", "-r", "custom.y", "-v", "up", "-m", MODULE));
      pair.await(n2, "SECOND", STEP_SECONDS);
      pair.await(n1, "PRIM", STEP_SECONDS);
      log2 = ok(n2.safekit("log", "-m", MODULE, "-A")).out();
      assertTrue(log2, log2.contains("Action wakeup from failover rule Implicit_wakeup"));
      String verbose = ok(n2.safekit("state", "-m", MODULE, "-v")).out();
      assertTrue(verbose, verbose.matches("(?s).*state\\.local +SECOND.*"));
      assertTrue(verbose, verbose.matches("(?s).*state\\.remote +PRIM.*"));

      // a mistake in a rule: refused with its line and column, nothing applied
      Path userconfig = n2.home.resolve("modules/" + MODULE + "/conf/userconfig.xml");
      String good = Files.readString(userconfig);
      String bad = good.replace("then wait();", "then wiat();");
      Files.writeString(userconfig, bad);
      String line8 = bad.split("\n")[7];
      int column = line8.indexOf("wiat") + 1;
      Result check = n2.safekit("confcheck", "-m", MODULE);
      assertNotEquals(check.toString(), 0, check.exitCode());
      String expected =
          "userconfig.xml:8:" + column + ": /safe/service/failover: unknown action 'wiat'";
      assertTrue(check.toString(), (check.out() + check.err()).contains(expected));
      assertFalse(check.toString(), (check.out() + check.err()).contains("Exception"));
      Result config = n2.safekit("config", "-m", MODULE);
      assertNotEquals(config.toString(), 0, config.exitCode());
      assertTrue(config.toString(), (config.out() + config.err()).contains(expected));
      assertTrue(pair.state(n2), pair.state(n2).contains("SECOND Ready"));
      Files.writeString(userconfig, good);
      ok(n2.safekit("confcheck", "-m", MODULE));
    }
  }
}
