package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * Checkers on one real node (issue 11 item 3, user guide 4.4.1): errd sees the application killed,
 * logs {@code Process sleep not running} and {@code Action restart called by errd}, and the restart
 * brings it back; a tcp checker's resource follows a TCP server closed and opened again ({@code
 * safekit get -r tcp.srv}); {@code errd list}, {@code errd off} and {@code -r errdpoll_running}.
 */
public class CheckerIT {
  private static final String ADDRESS = "127.0.0.130";
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** Shell lines: wait (5 s at most) until process $pid has become sleep, past fork and exec. */
  static final String STARTED =
      "i=0\nwhile [ \"$(cat /proc/$pid/comm 2>/dev/null)\" != sleep ]; do\n"
          + "  i=$((i+1)); [ $i -gt 500 ] && exit 1; sleep 0.01\ndone\n";

  /** Waits (with a deadline) until {@code safekit get -r} answers {@code value}. */
  private static void awaitResource(NodeProcess node, String resource, String value)
      throws Exception {
    awaitResource(node, "chk", resource, value);
  }

  static void awaitResource(NodeProcess node, String module, String resource, String value)
      throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    Result r = node.safekit("get", "-r", resource, "-m", module);
    while (!r.out().trim().equals(value)) {
      assertTrue(resource + " never " + value + ": " + r, System.nanoTime() < deadline);
      Thread.onSpinWait();
      r = node.safekit("get", "-r", resource, "-m", module);
    }
  }

  /** Waits (with a deadline) until the module log holds {@code line}; returns the log. */
  private static String awaitLog(NodeProcess node, String line) throws Exception {
    return awaitLog(node, "chk", line);
  }

  /** Waits (with a deadline) until the verbose log of {@code module} holds {@code line}. */
  static String awaitLog(NodeProcess node, String module, String line) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    String log = ok(node.safekit("log", "-m", module, "-A")).out();
    while (!log.contains(line)) {
      assertTrue("no '" + line + "' in\n" + log, System.nanoTime() < deadline);
      Thread.onSpinWait();
      log = ok(node.safekit("log", "-m", module, "-A")).out();
    }
    return log;
  }

  /** Waits (with a deadline) until {@code file} holds {@code lines}, then checks it holds those. */
  private static void awaitLines(Path file, List<String> lines) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!Files.exists(file) || Files.readAllLines(file).size() < lines.size()) {
      assertTrue(file + " never had " + lines, System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
    assertEquals(lines, Files.readAllLines(file).subList(0, lines.size()));
  }

  private static long pid(Path file) throws Exception {
    return Long.parseLong(Files.readString(file).trim());
  }

  /**
   * Kills the process whose pid the test's scripts recorded in {@code file}, if it still runs: the
   * application or checker a failed test leaves behind (they run in sessions of their own).
   */
  private static void killRecorded(Path file) {
    try {
      if (Files.exists(file)) {
        ProcessHandle.of(pid(file)).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (Exception e) {
      System.err.println("CheckerIT: " + file + " not cleaned up: " + e);
    }
  }

  @Test
  public void errdRestartsAKilledApplicationAndTcpFollowsItsServer() throws Exception {
    String seconds = String.valueOf(700_000 + new Random().nextInt(100_000));
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0));
    int port = server.getLocalPort();
    try (NodeProcess node = NodeProcess.copy(ADDRESS, 19130)) {
      ok(node.start());
      Path work = node.home.getParent();
      Path app = work.resolve("app.pid");
      try {
        SafePackage chk =
            new SafePackage(
                "chk",
                "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\">\n"
                    + "    <user nicestoptimeout=\"3\" forcestoptimeout=\"3\"/>\n"
                    + "    <errd polltimer=\"1\">\n"
                    + "      <proc name=\"sleep\" argregex=\"^sleep "
                    + seconds
                    + "$\" atleast=\"1\" action=\"restart\" class=\"both\"/>\n"
                    + "    </errd>\n"
                    + "    <check>\n"
                    + "      <tcp ident=\"srv\" when=\"both\" action=\"noaction\">"
                    + "<to addr=\""
                    + ADDRESS
                    + "\" port=\""
                    + port
                    + "\" interval=\"1\" timeout=\"1\"/></tcp>\n"
                    + "    </check>\n"
                    + "  </service>\n</safe>\n");
        chk.script(
            "start_both",
            // the application is started once it runs as itself: errd's first scan is at UP Ready
            "setsid sleep "
                + seconds
                + " >/dev/null 2>&1 &\npid=$!\n"
                + STARTED
                + "echo $pid > "
                + app
                + "\n");
        chk.script(
            "stop_both", "[ -f " + app + " ] && kill $(cat " + app + ") 2>/dev/null\nexit 0\n");
        Path updates = work.resolve("update.trace");
        chk.script("update", "echo \"$*\" >> " + updates + "\n");
        ok(node.safekit("module", "install", "-m", "chk", chk.writeTo(work).toString()));
        ok(node.safekit("config", "-m", "chk"));
        ok(node.safekit("start", "-m", "chk"));
        ok(node.safekit("waitstate", "-m", "chk", "UP"));

        awaitResource(node, "proc.sleep", "up");
        awaitResource(node, "tcp.srv", "up");
        String list = ok(node.safekit("errd", "list", "-m", "chk")).out();
        assertEquals("proc.sleep class=both running up\n", list);
        assertEquals(
            List.of("proc.sleep class=both running up"),
            Files.readAllLines(node.home.resolve("var/modules/chk/errdlist")));

        // errd: the application killed is seen, logged and restarted (user guide 4.4.1)
        long first = pid(app);
        ok(node.safekit("kill", "-name=sleep", "-argregex=^sleep " + seconds + "$", "-level=9"));
        String log = awaitLog(node, "Action restart called by errd");
        int down = log.indexOf("Resource proc.sleep set to down by errd");
        int message = log.indexOf("Process sleep not running");
        int action = log.indexOf("Action restart called by errd");
        assertTrue(log, 0 <= message && message < down && down < action);
        ok(node.safekit("waitstate", "-m", "chk", "UP"));
        awaitResource(node, "proc.sleep", "up");
        long second = pid(app);
        assertTrue(first + " then " + second, first != second && NodeProcess.running(second));

        // tcp: the server closed, then open again
        server.close();
        awaitResource(node, "tcp.srv", "down");
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), port));
        awaitResource(node, "tcp.srv", "up");
        log = ok(node.safekit("log", "-m", "chk", "-A")).out();
        assertTrue(log, log.contains("Resource tcp.srv set to down by tcpcheck"));

        // errd off: the application killed again is left alone
        ok(node.safekit("errd", "off", "-m", "chk"));
        assertEquals(
            "proc.sleep class=both stopped up\n",
            ok(node.safekit("errd", "list", "-m", "chk")).out());
        ok(node.safekit("-r", "errdpoll_running"));
        assertTrue(
            Files.readAllLines(node.home.resolve("var/errdpoll_reserrd")).stream()
                .anyMatch(l -> l.startsWith(second + " sleep sleep " + seconds)));
        // the toggle's side effect (spec F.3): the module's update script, in UP Ready
        awaitLines(updates, List.of("UP UP update"));
        // config applied again, live: the toggle goes back on (spec F.3), errd watches again
        ok(node.safekit("config", "-m", "chk"));
        awaitResource(node, "usersetting.errd", "on");
        awaitLog(node, "Resource usersetting.errd set to on by config");
        assertEquals(
            "proc.sleep class=both running up\n",
            ok(node.safekit("errd", "list", "-m", "chk")).out());
        assertTrue("config stopped the application", NodeProcess.running(second));

        ok(node.safekit("stop", "-m", "chk"));
        ok(node.safekit("waitstate", "-m", "chk", "STOP"));
        assertTrue("stop_both did not stop the application", !NodeProcess.running(second));
      } finally {
        killRecorded(app);
      }
    } finally {
      server.close();
    }
  }

  /**
   * A custom checker (spec B.16, user guide 4.4.7): the module's own program, started with the
   * module, sets {@code custom.flag} through {@code safekit set} as a file comes and goes, and is
   * stopped with the module.
   */
  @Test
  public void aCustomCheckerSetsItsResource() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, 19130)) {
      ok(node.start());
      Path work = node.home.getParent();
      Path flag = work.resolve("flag");
      Path pid = work.resolve("flagcheck.pid");
      try {
        SafePackage cust =
            new SafePackage(
                "cust",
                "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\">\n"
                    + "    <user nicestoptimeout=\"3\" forcestoptimeout=\"3\"/>\n"
                    + "    <check><custom ident=\"flag\" when=\"both\" exec=\"flagcheck\"/></check>\n"
                    + "  </service>\n</safe>\n");
        cust.script("start_both", "exit 0\n");
        cust.script("stop_both", "exit 0\n");
        cust.script(
            "flagcheck",
            "echo $$ > "
                + pid
                + "\nlast=\nwhile :; do\n"
                + "  if [ -f "
                + flag
                + " ]; then v=up; else v=down; fi\n"
                + "  if [ \"$v\" != \"$last\" ]; then\n"
                + "    \"$SAFE/safekit\" set -r \"$2\" -v $v -i flagcheck -m \"$1\" && last=$v\n"
                + "  fi\n  sleep 0.2\ndone\n");
        ok(node.safekit("module", "install", "-m", "cust", cust.writeTo(work).toString()));
        ok(node.safekit("config", "-m", "cust"));
        assertEquals(
            "init", ok(node.safekit("get", "-r", "custom.flag", "-m", "cust")).out().trim());
        ok(node.safekit("start", "-m", "cust"));
        ok(node.safekit("waitstate", "-m", "cust", "UP"));
        awaitResource(node, "cust", "custom.flag", "down");
        Files.writeString(flag, "");
        awaitResource(node, "cust", "custom.flag", "up");
        Files.delete(flag);
        awaitResource(node, "cust", "custom.flag", "down");
        String log = ok(node.safekit("log", "-m", "cust")).out();
        assertTrue(log, log.contains("Resource custom.flag set to up by flagcheck"));
        assertTrue(log, log.contains("Resource custom.flag set to down by flagcheck"));

        long checker = pid(pid);
        assertTrue(NodeProcess.running(checker));
        ok(node.safekit("stop", "-m", "cust"));
        ok(node.safekit("waitstate", "-m", "cust", "STOP"));
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (NodeProcess.running(checker)) {
          assertTrue("the custom checker outlived its module", System.nanoTime() < deadline);
          Thread.onSpinWait();
        }
      } finally {
        killRecorded(pid);
      }
    }
  }

  /** A light module whose scripts do nothing, with {@code extra} in its service. */
  static SafePackage light(String name, String extra) {
    SafePackage p =
        new SafePackage(
            name,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\">\n"
                + "    <user nicestoptimeout=\"3\" forcestoptimeout=\"3\"/>\n"
                + extra
                + "  </service>\n</safe>\n");
    p.script("start_both", "exit 0\n");
    p.script("stop_both", "exit 0\n");
    return p;
  }

  /**
   * A module checker (spec B.17, user guide 4.4.6): {@code dep} watches {@code base} through the
   * node's web service; {@code base} stopped sets {@code module.base} down and the predefined rule
   * {@code module_failure} makes {@code dep} wait; {@code base} started again wakes it up; {@code
   * base} restarted (shorter than the check interval) stops and starts {@code dep}.
   */
  @Test
  public void aModuleCheckerFollowsAnotherModule() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, 19130)) {
      ok(node.start());
      Path work = node.home.getParent();
      ok(
          node.safekit(
              "module", "install", "-m", "base", light("base", "").writeTo(work).toString()));
      SafePackage dep =
          light(
              "dep",
              "    <check><module ident=\"base\" name=\"base\"><to addr=\""
                  + ADDRESS
                  + "\" port=\"19130\" interval=\"1\" timeout=\"1\"/></module></check>\n");
      ok(node.safekit("module", "install", "-m", "dep", dep.writeTo(work).toString()));
      ok(node.safekit("config", "-m", "base"));
      ok(node.safekit("config", "-m", "dep"));
      ok(node.safekit("start", "-m", "base"));
      ok(node.safekit("waitstate", "-m", "base", "UP"));
      ok(node.safekit("start", "-m", "dep"));
      ok(node.safekit("waitstate", "-m", "dep", "UP"));
      awaitResource(node, "dep", "module.base", "up");

      ok(node.safekit("stop", "-m", "base"));
      awaitResource(node, "dep", "module.base", "down");
      long deadline = System.nanoTime() + LIMIT.toNanos();
      String log = ok(node.safekit("log", "-m", "dep")).out();
      while (!log.contains("Action wait from failover rule module_failure")) {
        assertTrue(log, System.nanoTime() < deadline);
        Thread.onSpinWait();
        log = ok(node.safekit("log", "-m", "dep")).out();
      }
      assertTrue(log, log.contains("Resource module.base set to down by modulecheck"));
      ok(node.safekit("start", "-m", "base"));
      awaitResource(node, "dep", "module.base", "up");
      ok(node.safekit("waitstate", "-m", "dep", "UP"));

      // base restarted: its scripts take a few milliseconds, so the test of every second mostly
      // finds it ready before and after; its ready period (the ETag of ready.txt) tells dep
      String down = "Resource module.base set to down by modulecheck";
      long downs =
          ok(node.safekit("log", "-m", "dep", "-A"))
              .out()
              .lines()
              .filter(l -> l.contains(down))
              .count();
      ok(node.safekit("restart", "-m", "base"));
      log = awaitLog(node, "dep", "Action stopstart called by modulecheck");
      String unseen =
          "Module base on " + ADDRESS + ":19130 is ready (restarted since the last test)";
      // seen by its ready period, or (rarely) by a test that fell within the restart
      assertTrue(
          log, log.contains(unseen) || log.lines().filter(l -> l.contains(down)).count() > downs);
      ok(node.safekit("waitstate", "-m", "dep", "UP"));
    }
  }
}
