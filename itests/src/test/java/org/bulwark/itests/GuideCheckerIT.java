package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The end-to-end checker tests of the user guide, section 4.4, on one real node with light modules
 * (spec B.10–B.19): each scenario does what the guide's test does to the application or the target
 * and asserts the log lines the guide names and the module states. The failover machine runs with a
 * short {@code period} and {@code handle_time} so that the whole class runs in about a minute.
 */
public class GuideCheckerIT {
  private static final String ADDRESS = "127.0.0.112";
  private static final int WEB_PORT = 19112;

  /** A failover machine quick enough for a test (spec B.19: handle_time a multiple of period). */
  private static final String QUICK_RULES =
      "    <failover period=\"500ms\" handle_time=\"1000ms\"/>\n";

  private static NodeProcess node;
  private static Path work;

  @BeforeClass
  public static void startNode() throws Exception {
    node = NodeProcess.copy(ADDRESS, WEB_PORT);
    work = node.home.getParent();
    ok(node.start());
  }

  @AfterClass
  public static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** A light module with {@code body} in its service, installed, configured and started. */
  private static void run(SafePackage module, String name) throws Exception {
    ok(node.safekit("module", "install", "-m", name, module.writeTo(work).toString()));
    ok(node.safekit("config", "-m", name));
    ok(node.safekit("start", "-m", name));
  }

  private static SafePackage light(String name, String body) {
    SafePackage p =
        new SafePackage(
            name,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\" maxloop=\"50\">\n"
                + "    <user nicestoptimeout=\"3\" forcestoptimeout=\"3\"/>\n"
                + body
                + "  </service>\n</safe>\n");
    p.script("start_both", "exit 0\n");
    p.script("stop_both", "exit 0\n");
    return p;
  }

  /** Stops and removes a module a scenario installed, whatever state it is left in. */
  private static void remove(String module) throws Exception {
    node.safekit("stop", "-m", module);
    node.safekit("waitstate", "-t", "30", "-m", module, "STOP");
    node.safekit("module", "uninstall", "-m", module);
  }

  private static String awaitLog(String module, String line) throws Exception {
    return CheckerIT.awaitLog(node, module, line);
  }

  private static void awaitResource(String module, String resource, String value) throws Exception {
    CheckerIT.awaitResource(node, module, resource, value);
  }

  private static void awaitState(String module, String state) throws Exception {
    ok(node.safekit("waitstate", "-t", "60", "-m", module, state));
  }

  /** Asserts that {@code lines} appear in {@code log} in this order. */
  static void inOrder(String log, String... lines) {
    int at = -1;
    for (String line : lines) {
      int next = log.indexOf(line, at + 1);
      assertTrue("no '" + line + "' after position " + at + " in\n" + log, next > at);
      at = next;
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), port));
    return server;
  }

  private static String tcp(String ident, String when, String action, int port) {
    return "    <check><tcp ident=\""
        + ident
        + "\" when=\""
        + when
        + "\" action=\""
        + action
        + "\"><to addr=\""
        + ADDRESS
        + "\" port=\""
        + port
        + "\" interval=\"1\" timeout=\"1\"/></tcp></check>\n";
  }

  /**
   * 4.4.1 with action stopstart: the application killed is seen by errd ({@code Process sleep not
   * running}), which calls a stopstart; the module is UP again with a new application.
   */
  @Test
  public void errdStopstartsAKilledApplication() throws Exception {
    String seconds = String.valueOf(800_000 + new Random().nextInt(100_000));
    Path app = work.resolve("errd.pid");
    SafePackage m =
        light(
            "gerrd",
            "    <errd polltimer=\"1\"><proc name=\"sleep\" argregex=\"^sleep "
                + seconds
                + "$\" atleast=\"1\" action=\"stopstart\" class=\"both\"/></errd>\n");
    m.script(
        "start_both",
        "setsid sleep "
            + seconds
            + " >/dev/null 2>&1 &\npid=$!\n"
            + CheckerIT.STARTED
            + "echo $pid > "
            + app
            + "\n");
    m.script("stop_both", "[ -f " + app + " ] && kill $(cat " + app + ") 2>/dev/null\nexit 0\n");
    try {
      run(m, "gerrd");
      awaitState("gerrd", "UP");
      awaitResource("gerrd", "proc.sleep", "up");
      long first = Long.parseLong(Files.readString(app).trim());
      ok(node.safekit("kill", "-name=sleep", "-argregex=^sleep " + seconds + "$", "-level=9"));
      String log = awaitLog("gerrd", "Action stopstart called by errd");
      inOrder(log, "Process sleep not running", "Action stopstart called by errd");
      awaitState("gerrd", "UP");
      awaitResource("gerrd", "proc.sleep", "up");
      long second = Long.parseLong(Files.readString(app).trim());
      assertTrue(first + " then " + second, first != second && NodeProcess.running(second));
    } finally {
      remove("gerrd");
      if (Files.exists(app)) {
        ProcessHandle.of(Long.parseLong(Files.readString(app).trim()))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * 4.4.2: a tcp checker with action restart; the server stops answering, {@code tcp.srv} goes down
   * and the generated rule {@code t_srv} restarts the module, which is UP again once the server
   * answers.
   */
  @Test
  public void tcpDownRestartsTheModule() throws Exception {
    ServerSocket server = listen(0);
    int port = server.getLocalPort();
    try {
      run(light("gtcpr", tcp("srv", "both", "restart", port) + QUICK_RULES), "gtcpr");
      awaitState("gtcpr", "UP");
      awaitResource("gtcpr", "tcp.srv", "up");
      server.close();
      String log = awaitLog("gtcpr", "Action restart from failover rule t_srv");
      inOrder(
          log,
          "Resource tcp.srv set to down by tcpcheck",
          "Action restart from failover rule t_srv");
      server = listen(port);
      awaitResource("gtcpr", "tcp.srv", "up");
      awaitState("gtcpr", "UP");
    } finally {
      server.close();
      remove("gtcpr");
    }
  }

  /**
   * 4.4.3: a tcp checker with {@code when="pre"} and action wait; the server down puts the module
   * in WAIT ({@code Action wait from failover rule t_srv}), the server back wakes it up ({@code
   * Action wakeup from failover rule Implicit_wakeup}).
   */
  @Test
  public void tcpDownMakesTheModuleWait() throws Exception {
    ServerSocket server = listen(0);
    int port = server.getLocalPort();
    try {
      run(light("gtcpw", tcp("srv", "pre", "wait", port) + QUICK_RULES), "gtcpw");
      awaitState("gtcpw", "UP");
      server.close();
      awaitState("gtcpw", "WAIT");
      String log = awaitLog("gtcpw", "Action wait from failover rule t_srv");
      inOrder(
          log, "Resource tcp.srv set to down by tcpcheck", "Action wait from failover rule t_srv");
      server = listen(port);
      awaitState("gtcpw", "UP");
      log = awaitLog("gtcpw", "Action wakeup from failover rule Implicit_wakeup");
      inOrder(
          log,
          "Action wait from failover rule t_srv",
          "Resource tcp.srv set to up by tcpcheck",
          "Action wakeup from failover rule Implicit_wakeup");
    } finally {
      server.close();
      remove("gtcpw");
    }
  }

  /** A custom checker script: {@code custom.<ident>} follows whether {@code flag} exists. */
  private static SafePackage custom(String name, String when, String action, Path flag) {
    SafePackage m =
        light(
            name,
            "    <check><custom ident=\"flag\" when=\""
                + when
                + "\" action=\""
                + action
                + "\" exec=\"flagcheck\"/></check>\n"
                + QUICK_RULES);
    m.script(
        "flagcheck",
        "last=\nwhile :; do\n"
            + "  if [ -f "
            + flag
            + " ]; then v=up; else v=down; fi\n"
            + "  if [ \"$v\" != \"$last\" ]; then\n"
            + "    \"$SAFE/safekit\" set -r \"$2\" -v $v -i flagcheck -m \"$1\" && last=$v\n"
            + "  fi\n  sleep 0.2\ndone\n");
    return m;
  }

  /**
   * 4.4.7: a custom checker with action wait; its resource down puts the module in WAIT by the
   * generated rule {@code c_flag}, up again wakes it.
   */
  @Test
  public void customDownMakesTheModuleWait() throws Exception {
    Path flag = Files.writeString(work.resolve("cw.flag"), "");
    try {
      run(custom("gcustw", "pre", "wait", flag), "gcustw");
      awaitState("gcustw", "UP");
      Files.delete(flag);
      awaitState("gcustw", "WAIT");
      awaitLog("gcustw", "Action wait from failover rule c_flag");
      Files.writeString(flag, "");
      awaitState("gcustw", "UP");
      String log = awaitLog("gcustw", "Action wakeup from failover rule Implicit_wakeup");
      inOrder(
          log,
          "Resource custom.flag set to down by flagcheck",
          "Action wait from failover rule c_flag",
          "Resource custom.flag set to up by flagcheck",
          "Action wakeup from failover rule Implicit_wakeup");
    } finally {
      remove("gcustw");
      Files.deleteIfExists(flag);
    }
  }

  /**
   * 4.4.8: a custom checker with action restart ({@code Action restart from failover rule c_flag});
   * and 4.4.8.2, a custom checker acting by itself: {@code safekit restart -i customscript} logs
   * {@code Action restart called by customscript}.
   */
  @Test
  public void customDownRestartsTheModule() throws Exception {
    Path flag = Files.writeString(work.resolve("cr.flag"), "");
    try {
      run(custom("gcustr", "both", "restart", flag), "gcustr");
      awaitState("gcustr", "UP");
      awaitResource("gcustr", "custom.flag", "up");
      Files.delete(flag);
      String log = awaitLog("gcustr", "Action restart from failover rule c_flag");
      inOrder(
          log,
          "Resource custom.flag set to down by flagcheck",
          "Action restart from failover rule c_flag");
      Files.writeString(flag, "");
      awaitResource("gcustr", "custom.flag", "up");
      awaitState("gcustr", "UP");

      ok(node.safekit("restart", "-m", "gcustr", "-i", "customscript"));
      awaitLog("gcustr", "Action restart called by customscript");
      awaitState("gcustr", "UP");
    } finally {
      remove("gcustr");
      Files.deleteIfExists(flag);
    }
  }

  /**
   * The stock examples whose target is on any node (127.0.0.1), installed from {@code
   * Application_Modules/generic} as shipped: each runs UP with its checker's resource up.
   */
  @Test
  public void theStockPingInterfaceAndIpExamplesRunAsShipped() throws Exception {
    for (String[] example :
        new String[][] {{"ping", "ping.router"}, {"interface", "intf.lan"}, {"ip", "ip.service"}}) {
      String module = example[0];
      try {
        ok(node.safekit("module", "install", "-m", module));
        ok(node.safekit("config", "-m", module));
        ok(node.safekit("start", "-m", module));
        awaitState(module, "UP");
        awaitResource(module, example[1], "up");
      } finally {
        remove(module);
      }
    }
  }

  /**
   * 4.4.6: a module checker; the other module stopped makes this one wait ({@code Action wait from
   * failover rule module_failure}); started again it wakes this one up; restarted, it makes this
   * one stopstart ({@code Action stopstart called by modulecheck}). The module checker sees a
   * restart as the other module not ready, then ready again while this one stayed Ready: a restart
   * shorter than its interval goes unseen, one longer than this module's handle_time makes it wait
   * instead.
   */
  @Test
  public void aModuleCheckerWaitsForAndFollowsAnotherModule() throws Exception {
    try {
      // an application that takes 2 s to start: its restart is seen by the module checker, whose
      // interval is 1 s, and is shorter than gdep's handle_time (a longer one would make gdep wait)
      SafePackage base = light("gbase", "");
      base.script("start_both", "sleep 2\n");
      run(base, "gbase");
      awaitState("gbase", "UP");
      run(
          light(
              "gdep",
              "    <check><module ident=\"base\" name=\"gbase\"><to addr=\""
                  + ADDRESS
                  + "\" port=\""
                  + WEB_PORT
                  + "\" interval=\"1\" timeout=\"1\"/></module></check>\n"
                  + "    <failover period=\"500ms\" handle_time=\"5000ms\"/>\n"),
          "gdep");
      awaitState("gdep", "UP");
      awaitResource("gdep", "module.base", "up");

      ok(node.safekit("stop", "-m", "gbase"));
      awaitState("gdep", "WAIT");
      inOrder(
          awaitLog("gdep", "Action wait from failover rule module_failure"),
          "Resource module.base set to down by modulecheck",
          "Action wait from failover rule module_failure");
      ok(node.safekit("start", "-m", "gbase"));
      awaitState("gdep", "UP");
      awaitLog("gdep", "Action wakeup from failover rule Implicit_wakeup");

      ok(node.safekit("restart", "-m", "gbase"));
      awaitLog("gdep", "Action stopstart called by modulecheck");
      awaitState("gdep", "UP");
    } finally {
      remove("gdep");
      remove("gbase");
    }
  }
}
