package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * errd's {@code restart_services} on a real node (spec B.10, E.2): a {@code <proc service="yes">}
 * whose unit is not active goes down, errd asks for a restart, and each script of that restart gets
 * {@code -Services "httpd, php-fpm"} after its three arguments; the administrator's restart that
 * follows passes none. The unit is one no machine has, so {@code systemctl is-active} says it is
 * not active wherever the test runs.
 */
public class ErrdRestartServicesIT {
  private static final String ADDRESS = "127.0.0.248";
  private static final int PORT = 19248;
  private static final String MODULE = "errdsvc";
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @Test
  public void theScriptsOfErrdsRestartGetTheServices() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      Path work = node.home.getParent();
      Path trace = work.resolve("trace");
      Path safe = module(trace).writeTo(work);
      ok(node.safekit("module", "install", "-m", MODULE, safe.toString()));
      ok(node.safekit("config", "-m", MODULE));
      ok(node.safekit("start", "-m", MODULE));

      // the start, then errd's restart once the module is Ready and the unit found not active
      awaitTrace(
          trace,
          List.of(
              "start_both WAIT UP start",
              "stop_both UP UP stopstart -Services httpd, php-fpm",
              "start_both UP UP stopstart -Services httpd, php-fpm"));
      String log = ok(node.safekit("log", "-m", MODULE, "-A")).out();
      GuideCheckerIT.inOrder(log, "Service bwitnounit not", "Action restart called by errd");
      ok(node.safekit("waitstate", "-t", "60", "-m", MODULE, "UP"));

      // the next restart is the administrator's: the scripts get their three arguments only
      Files.delete(trace);
      ok(node.safekit("restart", "-m", MODULE));
      awaitTrace(trace, List.of("stop_both UP UP stopstart", "start_both UP UP stopstart"));
    }
  }

  /**
   * A light module whose scripts append their name and arguments to {@code trace}, and an errd
   * {@code <proc>} of a systemd unit that is never active, restarted with its services.
   */
  private static SafePackage module(Path trace) {
    SafePackage p =
        new SafePackage(
            MODULE,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\">\n"
                + "    <user nicestoptimeout=\"3\" forcestoptimeout=\"3\"/>\n"
                + "    <errd polltimer=\"1\">\n"
                + "      <proc name=\"bwitnounit\" service=\"yes\" atleast=\"1\""
                + " action=\"restart\" restart_services=\"httpd, php-fpm\" class=\"both\"/>\n"
                + "    </errd>\n"
                + "  </service>\n</safe>\n");
    for (String s : List.of("start_both", "stop_both")) {
      p.script(s, "echo \"" + s + " $*\" >> " + trace + "\nexit 0\n");
    }
    return p;
  }

  /** Waits (with a deadline) until {@code trace} holds exactly {@code lines}. */
  private static void awaitTrace(Path trace, List<String> lines)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    List<String> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = Files.exists(trace) ? Files.readAllLines(trace) : List.of();
      if (seen.size() >= lines.size()) {
        break;
      }
      Thread.sleep(50); // polls the file until the deadline
    }
    assertTrue("the scripts ran " + seen + ", not " + lines, seen.equals(lines));
  }
}
