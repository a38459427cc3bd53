package org.bulwark.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bulwark.itests.NodeProcess.Result;

/**
 * The console's end-to-end scripts ({@code bundles/console/src/main/web/e2e/*.e2e.mjs}, run by node
 * with the console's own playwright-core and Debian's Chromium) against two real nodes, whose web
 * users they log in as: an administrator {@code admin}, a Monitor user {@code mon}, and the
 * distributed-command user through which the nodes relay the console's requests to each other.
 */
final class ConsoleScripts {
  /** How many of a failed script's last lines its failure shows. */
  private static final int TAIL = 25;

  private final Path script;
  private final String adminPassword;
  private final String monitorPassword;
  private final String rcmdPassword;

  /**
   * @param name the script's file name under {@code e2e/}
   * @param secret a word of the calling test, from which the three passwords are made
   */
  ConsoleScripts(String name, String secret) {
    Path web = Path.of(System.getProperty("bulwark.console.web"));
    assertTrue(
        "playwright-core is not installed under " + web + ": build bundles/console first",
        Files.isDirectory(web.resolve("node_modules/playwright-core")));
    this.script = web.resolve("e2e").resolve(name);
    this.adminPassword = "it-" + secret + "-admin";
    this.monitorPassword = "it-" + secret + "-monitor";
    this.rcmdPassword = "it-" + secret + "-rcmd";
  }

  String adminPassword() {
    return adminPassword;
  }

  /** Where the screenshots go: {@code target/console-e2e/} unless said otherwise. */
  static Path shots() {
    return Path.of(System.getProperty("bulwark.console.shots", "target/console-e2e"));
  }

  /** Gives each node the script's users. */
  void users(List<NodeProcess> nodes) throws Exception {
    for (NodeProcess n : nodes) {
      NodeProcess.ok(n.safekit("webservercfg", "-passwd", adminPassword));
      NodeProcess.ok(
          n.safekit(
              "webservercfg", "-passwd", monitorPassword, "-user", "mon", "-role", "Monitor"));
      NodeProcess.ok(n.safekit("webservercfg", "-rcmdpasswd", rcmdPassword));
    }
  }

  /**
   * Two nodes with fast heartbeats and this script's users, the mirror module PRIM on the first and
   * SECOND on the second, where the monitoring scripts begin. The caller closes it.
   */
  MirrorPair primSecond(String addr1, String addr2, int port, int seconds) throws Exception {
    MirrorPair pair = new MirrorPair(addr1, port, addr2, port, "pulse=\"100\" timeout=\"2000\"");
    try {
      // the nodes relay the console's requests to each other as the distributed-command user
      users(List.of(pair.n1, pair.n2));
      NodeProcess.ok(pair.n1.safekit("prim", "-m", MirrorPair.MODULE));
      pair.await(pair.n1, "ALONE", seconds);
      NodeProcess.ok(pair.n2.safekit("start", "-m", MirrorPair.MODULE));
      pair.await(pair.n2, "SECOND", seconds);
      pair.await(pair.n1, "PRIM", seconds);
      return pair;
    } catch (Exception | Error e) {
      pair.close();
      throw e;
    }
  }

  /**
   * Runs the script against the consoles of two nodes (each {@code address:port}), with more
   * environment if any; prints what it said.
   */
  Result run(String node1, String node2, Map<String, String> more, Duration deadline)
      throws Exception {
    Map<String, String> env = new HashMap<>(more);
    env.put("CONSOLE1", "http://" + node1 + "/console/");
    env.put("CONSOLE2", "http://" + node2 + "/console/");
    env.put("ADMIN_PW", adminPassword);
    env.put("MON_PW", monitorPassword);
    env.put("SHOTS", shots().toAbsolutePath().toString());
    Result r = NodeProcess.run(List.of("node", script.toString()), env, deadline);
    System.out.println(r.out());
    return r;
  }

  /**
   * Fails unless the script passed. The message begins with what a CI's summary keeps: the step
   * that failed and why on its first line, then the script's last lines; {@code logs} (read only
   * then: the nodes' logs are long) come after.
   */
  static void assertPassed(Result r, Supplier<String> logs) {
    if (r.exitCode() != 0) {
      fail(failure(r) + "\n" + logs.get());
    }
  }

  /**
   * The line where the script names the step that failed (browser.mjs's run), then its last lines.
   */
  static String failure(Result r) {
    List<String> out = r.out().lines().toList();
    String step =
        out.stream()
            .filter(l -> l.contains(" failed at step "))
            .findFirst()
            .orElse("the script ended with exit code " + r.exitCode() + " and named no step");
    return step
        + "\n--- its last lines\n"
        + String.join("\n", out.subList(Math.max(0, out.size() - TAIL), out.size()))
        + "\n--- its error output\n"
        + r.err().strip();
  }
}
