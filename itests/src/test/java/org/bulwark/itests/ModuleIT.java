package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * Modules on one real node (issue 4): {@code .safe} install and configure, start to UP Ready
 * through the scripts that call {@code $SAFE/safekit}, the health-check URL, installing, upgrading
 * and removing another module while the first stays UP with its application untouched, refusal to
 * uninstall a running module, a broken package refused with nothing left, boot start at node start.
 */
public class ModuleIT {

  /** Waits (with a deadline) until the commands log shows a command started. */
  private static void awaitCommandRunning(NodeProcess node, String command) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!ok(node.safekit("cmdlog")).out().contains("| START | " + command)) {
      assertTrue(command + " never started", System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  public void modulesLiveAndDieIndependently() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.0.24", 19012)) {
      ok(node.start());
      Path work = node.home.getParent();
      Path traceA = work.resolve("trace-a");
      Path app = work.resolve("app.pid");
      SafePackage a = SafePackage.tracing("appa", traceA, "");
      // the "application": a process start_both leaves running, stop_both kills
      a.script(
          "start_both",
          "echo \"start_both $*\" >> \"$TRACE\"\n"
              + "\"$SAFE/safekit\" printi \"start_both says hello\"\n"
              + "setsid sleep 3600 >/dev/null 2>&1 & echo $! > "
              + app
              + "\n");
      a.script(
          "stop_both",
          "echo \"stop_both $*\" >> \"$TRACE\"\n"
              + "[ -f "
              + app
              + " ] && kill $(cat "
              + app
              + ") 2>/dev/null; rm -f "
              + app
              + "\n");
      ok(node.safekit("module", "install", "-m", "appa", a.writeTo(work).toString()));
      ok(node.safekit("config", "-m", "appa"));
      assertEquals(0, node.safekit("state", "-m", "appa", "-lq").exitCode());
      assertEquals(404, node.get("/var/modules/appa/ready.txt").statusCode());

      ok(node.safekit("start", "-m", "appa"));
      ok(node.safekit("waitstate", "-m", "appa", "UP"));
      Result lq = node.safekit("state", "-m", "appa", "-lq");
      assertEquals(lq.toString(), 2, lq.exitCode());
      assertTrue(lq.out(), lq.out().contains("UP Ready"));
      assertEquals(200, node.get("/var/modules/appa/ready.txt").statusCode());
      assertEquals("OK\n", node.get("/var/modules/appa/ready.txt").body());
      // the farm test page (D.5) and its tiles' answers, each on a connection of its own
      var mosaic = node.get("/safekit/mosaic.html?m=appa");
      assertEquals(200, mosaic.statusCode());
      assertTrue(mosaic.body(), mosaic.body().contains("Farm mosaic"));
      var tile = node.get("/safekit/mosaic/who?m=appa");
      assertEquals(200, tile.statusCode());
      assertTrue(
          tile.body(),
          tile.body()
              .matches(
                  "\\{\"node\":\"[^\"]+\",\"address\":\"127.0.0.24\",\"module\":\"appa\","
                      + "\"state\":\"UP Ready\"\\}"));
      assertEquals(java.util.Optional.of("close"), tile.headers().firstValue("connection"));
      assertEquals(
          java.util.List.of("prestart STOP WAIT start", "start_both WAIT UP start"),
          Files.readAllLines(traceA));
      String log = ok(node.safekit("log", "-m", "appa", "-A")).out();
      assertTrue(
          log,
          log.contains("| U | Action start called by root")
              || log.contains("Action start called by root"));
      assertTrue(log, log.contains("| userplug | S | Script start_both"));
      assertTrue(log, log.contains("| userplug | I | start_both says hello"));
      assertTrue(log, log.contains("Local state UP Ready"));
      long appPid = Long.parseLong(Files.readString(app).trim());

      // config on the running module (spec B.0): unchanged, then a dynamic change, leave the
      // module UP and its application running; a static change is refused, nothing applied
      ok(node.safekit("config", "-m", "appa"));
      Path userconfig = node.home.resolve("modules/appa/conf/userconfig.xml");
      String original = Files.readString(userconfig);
      Files.writeString(
          userconfig,
          original.replace("</user>", "  <var name=\"GREETING\" value=\"v2\"/>\n    </user>"));
      Path stopBoth = node.home.resolve("modules/appa/bin/stop_both");
      Files.writeString(
          stopBoth,
          Files.readString(stopBoth) + "echo \"stop_both greets $GREETING\" >> \"$TRACE\"\n");
      ok(node.safekit("config", "-m", "appa"));
      Files.writeString(
          userconfig,
          Files.readString(userconfig)
              .replace(
                  "</service>",
                  "<vhost><virtualhostname name=\"vappa\" envfile=\"vhostenv\"/></vhost>"
                      + "</service>"));
      Result staticChange = node.safekit("config", "-m", "appa");
      assertEquals(staticChange.toString(), 1, staticChange.exitCode());
      assertTrue(
          staticChange.err(),
          staticChange
              .err()
              .contains(
                  "module appa is running and these changes need it stopped:"
                      + " /safe/service/vhost"));
      Files.writeString(
          userconfig, Files.readString(userconfig).replaceAll("<vhost>.*</vhost>", ""));
      assertTrue("appa's application was stopped by config", NodeProcess.running(appPid));
      Result up = node.safekit("state", "-m", "appa", "-lq");
      assertTrue(up.out(), up.out().contains("UP Ready"));
      String reconfigured = ok(node.safekit("log", "-m", "appa", "-A")).out();
      assertTrue(
          reconfigured, reconfigured.contains("Configuration applied while running: no change"));
      assertTrue(
          reconfigured,
          reconfigured.contains("Configuration applied while running: user in effect now"));
      assertFalse(reconfigured, reconfigured.contains("Action shutdown"));

      // a second module comes and goes; the first and its application are untouched
      Path traceB = work.resolve("trace-b");
      ok(
          node.safekit(
              "module",
              "install",
              "-m",
              "appb",
              SafePackage.tracing("appb", traceB, "").writeTo(work).toString()));
      ok(node.safekit("config", "-m", "appb"));
      ok(node.safekit("start", "-m", "appb"));
      ok(node.safekit("waitstate", "-m", "appb", "UP"));
      Result refused = node.safekit("module", "uninstall", "-m", "appb");
      assertEquals(refused.toString(), 1, refused.exitCode());
      assertTrue(refused.err(), refused.err().contains("stop it first"));
      ok(node.safekit("stop", "-m", "appb"));
      ok(node.safekit("waitstate", "-m", "appb", "STOP"));
      // upgrade appb (reinstall + reconfigure) while appa runs
      SafePackage upgraded = SafePackage.tracing("appb", traceB, "");
      upgraded.script("start_both", "echo \"start_both v2 $*\" >> \"$TRACE\"\n");
      ok(node.safekit("module", "install", "-r", "-m", "appb", upgraded.writeTo(work).toString()));
      ok(node.safekit("config", "-m", "appb"));
      ok(node.safekit("start", "-m", "appb"));
      ok(node.safekit("waitstate", "-m", "appb", "UP"));
      assertTrue(Files.readAllLines(traceB).contains("start_both v2 WAIT UP start"));
      ok(node.safekit("stop", "-m", "appb"));
      ok(node.safekit("waitstate", "-m", "appb", "STOP"));
      // a script waiting on appb when it is uninstalled gets an answer, not a hang (issue 13)
      java.util.concurrent.CompletableFuture<Result> waiter =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return node.safekit("waitstate", "-m", "appb", "UP");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      awaitCommandRunning(node, "waitstate UP -m appb");
      ok(node.safekit("module", "uninstall", "-m", "appb"));
      Result answered = waiter.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(answered.toString(), 1, answered.exitCode());
      assertTrue(answered.err(), answered.err().contains("module appb was removed"));
      assertFalse(Files.exists(node.home.resolve("modules/appb")));
      assertEquals(2, node.safekit("state", "-m", "appa", "-lq").exitCode());
      assertTrue("appa's application was disturbed", NodeProcess.running(appPid));
      assertEquals(
          java.util.List.of("prestart STOP WAIT start", "start_both WAIT UP start"),
          Files.readAllLines(traceA));

      // a broken package is refused and leaves nothing behind
      Path broken = work.resolve("broken.safe");
      Files.write(broken, new byte[] {'P', 'K', 3, 4, 0, 0});
      Result bad = node.safekit("module", "install", "-m", "broken", broken.toString());
      assertEquals(bad.toString(), 1, bad.exitCode());
      assertFalse(Files.exists(node.home.resolve("modules/broken")));
      assertFalse(node.safekit("module", "list").out().contains("broken"));

      // boot start: with `boot on`, the module starts with the node
      ok(node.safekit("boot", "on", "-m", "appa"));
      ok(node.stop());
      assertFalse("stop_both did not stop the application", NodeProcess.running(appPid));
      assertTrue(
          "the stop script of the live configuration ran with its new variable",
          Files.readAllLines(traceA).contains("stop_both greets v2"));
      ok(node.start());
      ok(node.safekit("waitstate", "-m", "appa", "UP"));
      String boot = ok(node.safekit("log", "-m", "appa")).out();
      assertTrue(boot, boot.contains("Action start called at boot time"));
      assertEquals(200, node.get("/var/modules/appa/ready.txt").statusCode());

      ok(node.safekit("stop", "-m", "appa"));
      ok(node.safekit("waitstate", "-m", "appa", "STOP"));
      assertEquals(404, node.get("/var/modules/appa/ready.txt").statusCode());
      String cmdlog = ok(node.safekit("cmdlog")).out();
      assertTrue(cmdlog, cmdlog.contains("| START | start -m appa"));
      assertTrue(
          cmdlog, cmdlog.matches("(?s).*\\| START \\| module install \\S+appa\\.safe -m appa\n.*"));

      // the journal's retention (spec G.6): a new limit applies at once, with a pass
      Files.writeString(
          node.home.resolve("etc/org.bulwark.store.retention.cfg"),
          "commandLogRows = 4\nintervalMinutes = 60\n");
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (ok(node.safekit("cmdlog")).out().lines().count() > 6) {
        assertTrue("the commands log was not cleaned", System.nanoTime() < deadline);
        Thread.onSpinWait();
      }
      assertFalse(ok(node.safekit("cmdlog")).out().contains("module install"));
    }
  }
}
