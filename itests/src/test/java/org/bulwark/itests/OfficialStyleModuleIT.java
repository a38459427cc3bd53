package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The stock module written the way the official SafeKit 8.2 Linux modules are (issue 11): {@code
 * appservice.safe} installs as shipped with its blanks, {@code confcheck} and {@code config} say
 * what is missing with file, line and attribute and change nothing; filled in, it configures, and
 * its scripts start the service through {@code module_scripts_utils} ({@code xpathGet}, {@code
 * logI18nMSG}, {@code boundcmd}, {@code processtree}); {@code restart -i} counts for maxloop until
 * {@code Action stop called by maxloop}; a service that cannot start stops the module with {@code
 * safekit stop -i start_both}; with {@code boot="auto"} it starts with the node only if it ran when
 * the node stopped.
 */
public class OfficialStyleModuleIT {

  private static Result failed(Result r) {
    assertEquals(r.toString(), 1, r.exitCode());
    return r;
  }

  @Test
  public void installAsShippedFillInConfigureAndRun() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.0.163", 19163)) {
      ok(node.start());
      Path work = node.home.getParent();
      // the service: a copy of sleep under a name of its own, so nothing else matches it
      Path app = work.resolve("appsvc");
      Files.copy(Path.of("/bin/sleep"), app);
      app.toFile().setExecutable(true);
      String command = app + " 3600";

      Result install = ok(node.safekit("module", "install", "-m", "appservice"));
      Path userconfig = node.home.resolve("modules/appservice/conf/userconfig.xml").toRealPath();
      assertTrue(install.out(), install.out().contains("Its configuration is to be completed"));
      int commandLine = lineOf(userconfig, "name=\"SERVICE_COMMAND\"");
      String undefined =
          userconfig + ":" + commandLine + ":"; // the parser names file, line, then the attribute
      assertTrue(install.out(), install.out().contains(undefined));
      assertTrue(install.out(), install.out().contains("/safe/service/user/var[2]/@value"));
      assertTrue(install.out(), install.out().contains("undefined macro %SERVICE_COMMAND%"));

      Result check = failed(node.safekit("confcheck", "-m", "appservice"));
      assertTrue(check.err(), check.err().contains(undefined));
      failed(node.safekit("config", "-m", "appservice"));
      Path applied = node.home.resolve("private/modules/appservice");
      assertFalse("a refused config applied something", Files.exists(applied));

      // the command filled in, SERVICES still blank: the module's own confcheck says so
      String shipped = Files.readString(userconfig);
      Files.writeString(
          userconfig,
          shipped.replace(
              "<macro name=\"SERVICES\" value=\"\"/>",
              "<macro name=\"SERVICES\" value=\"\"/>\n<macro name=\"SERVICE_COMMAND\" value=\""
                  + command
                  + "\"/>"));
      check = failed(node.safekit("confcheck", "-m", "appservice"));
      assertTrue(
          check.err(),
          check
              .err()
              .contains(
                  userconfig
                      + ":"
                      + lineOf(userconfig, "name=\"SERVICES\"")
                      + ": /safe/macro[@name='SERVICES']/@value: SERVICES is empty"));
      Result postconfig = failed(node.safekit("config", "-m", "appservice"));
      assertTrue(postconfig.err(), postconfig.err().contains("postconfig"));
      assertFalse("a failed postconfig left a configuration", Files.exists(applied));

      Files.writeString(
          userconfig,
          Files.readString(userconfig)
              .replace(
                  "<macro name=\"SERVICES\" value=\"\"/>",
                  "<macro name=\"SERVICES\" value=\"appsvc\"/>"));
      check = ok(node.safekit("confcheck", "-m", "appservice"));
      assertTrue(check.out(), check.out().contains("services appsvc ready to be managed"));
      ok(node.safekit("config", "-m", "appservice"));
      // level has no <user> variables: its SERVICES come from safeconf.xml through xpathGet
      assertTrue(
          ok(node.safekit("level", "-m", "appservice"))
              .out()
              .contains("Service appsvc (process): inactive"));

      ok(node.safekit("start", "-m", "appservice"));
      ok(node.safekit("waitstate", "-m", "appservice", "UP"));
      Path pidFile = node.home.resolve("var/modules/appservice/appsvc.pid");
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      assertTrue("the service does not run", NodeProcess.running(pid));
      assertTrue(
          ok(node.safekit("level", "-m", "appservice"))
              .out()
              .contains("Service appsvc (process " + pid + "): active"));
      // the module's state script after the resources of state -v (spec E.1)
      String state = ok(node.safekit("state", "-v", "-m", "appservice")).out();
      assertTrue(state, state.startsWith("appservice"));
      assertTrue(state, state.contains("UP Ready"));
      assertTrue(
          state,
          state.indexOf("Service appsvc (process " + pid + "): active")
              > state.indexOf("UP Ready"));
      String log = ok(node.safekit("log", "-m", "appservice", "-A")).out();
      assertTrue(log, log.contains("start_both: starting appsvc"));

      // maxloop (3): three restarts with -i restart the service, the fourth stops the module
      for (int i = 1; i <= 3; i++) {
        ok(node.safekit("restart", "-i", "tester", "-m", "appservice"));
        ok(node.safekit("waitstate", "-m", "appservice", "UP"));
      }
      long restarted = Long.parseLong(Files.readString(pidFile).trim());
      assertFalse("restart did not stop the service", NodeProcess.running(pid));
      assertTrue(NodeProcess.running(restarted));
      // a leftover of the service, not in the pid file: the forced stop finds it by its command
      // line with $SAFEBIN/processtree
      Process stray = new ProcessBuilder(app.toString(), "3600").start();
      try {
        ok(node.safekit("restart", "-i", "tester", "-m", "appservice"));
        ok(node.safekit("waitstate", "-t", "120", "-m", "appservice", "STOP"));
        assertTrue("processtree left the stray service", stray.waitFor(60, TimeUnit.SECONDS));
      } finally {
        stray.destroyForcibly();
      }
      log = ok(node.safekit("log", "-m", "appservice", "-A")).out();
      assertTrue(log, log.contains("Action restart called by tester"));
      assertTrue(log, log.contains("Action stop called by maxloop"));
      awaitGone(restarted);

      // a service that cannot start: start_both stops the module with stop -i start_both
      Files.writeString(
          userconfig,
          Files.readString(userconfig).replace(command, work.resolve("missing").toString()));
      ok(node.safekit("config", "-m", "appservice"));
      ok(node.safekit("start", "-m", "appservice"));
      ok(node.safekit("waitstate", "-t", "120", "-m", "appservice", "STOP"));
      log = ok(node.safekit("log", "-m", "appservice", "-A")).out();
      assertTrue(log, log.contains("start_both: appsvc did not start"));
      assertTrue(log, log.contains("Action stop called by start_both"));

      // service@boot="auto": started with the node only when it ran as the node stopped
      Files.writeString(
          userconfig,
          Files.readString(userconfig)
              .replace(work.resolve("missing").toString(), command)
              .replace("<service mode=\"farm\"", "<service mode=\"farm\" boot=\"auto\""));
      ok(node.safekit("config", "-m", "appservice"));
      ok(node.stop());
      ok(node.start());
      assertEquals(0, node.safekit("state", "-m", "appservice", "-lq").exitCode());
      ok(node.safekit("start", "-m", "appservice"));
      ok(node.safekit("waitstate", "-m", "appservice", "UP"));
      ok(node.stop());
      ok(node.start());
      ok(node.safekit("waitstate", "-t", "120", "-m", "appservice", "UP"));
      log = ok(node.safekit("log", "-m", "appservice")).out();
      assertTrue(log, log.contains("Action start called at boot time"));
    }
  }

  private static int lineOf(Path file, String text) throws Exception {
    java.util.List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  private static void awaitGone(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              try {
                p.onExit()
                    .get(
                        Duration.ofSeconds(60).toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
              } catch (Exception e) {
                throw new AssertionError(
                    "process " + pid + " still runs after the module stopped", e);
              }
            });
  }
}
