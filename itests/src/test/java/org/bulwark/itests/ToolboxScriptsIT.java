package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The helpers of {@code SAFEBIN} as the distribution ships them (spec E.5), run without a node:
 * {@code safekit -r <program>} runs a file of {@code SAFEBIN} with the SafeKit environment, {@code
 * boundcmd} bounds a command's time, {@code gencron} comments out and puts back crontab entries of
 * a real user's crontab (a user created for the test and removed after it).
 */
public class ToolboxScriptsIT {

  private static Result sh(Path dir, String script) throws Exception {
    return NodeProcess.run(List.of("sh", "-c", "cd " + dir + " && " + script), Map.of());
  }

  @Test
  public void safebinProgramsRunThroughSafekitR() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.0.160", 19160)) {
      Path bin = node.home.resolve("private/bin");
      for (String helper :
          List.of("boundcmd", "gencron", "xpathGet", "logI18nMSG", "processtree")) {
        assertTrue(helper + " is not shipped executable", Files.isExecutable(bin.resolve(helper)));
      }
      Path show = bin.resolve("showenv");
      Files.writeString(show, "#!/bin/sh\necho \"$SAFE|$SAFEBIN|$SAFEVAR|$*\"; pwd; exit 7\n");
      show.toFile().setExecutable(true);
      Path home = node.home.toRealPath();
      Result r = sh(Path.of("/tmp"), home + "/safekit -r showenv a 'b c'");
      assertEquals(r.toString(), 7, r.exitCode());
      assertEquals(home + "|" + home + "/private/bin|" + home + "/var|a b c\n/tmp\n", r.out());
      Path module = bin.resolve("showmodule");
      Files.writeString(module, "#!/bin/sh\necho \"$SAFEMODULE\"\n");
      module.toFile().setExecutable(true);
      assertEquals("web\n", node.safekit("-m", "web", "-r", "showmodule").out());
      Result missing = node.safekit("-r", "nosuchprogram");
      assertEquals(missing.toString(), 127, missing.exitCode());
      assertTrue(missing.err(), missing.err().contains("no program 'nosuchprogram' in SAFEBIN"));
      Result escape = node.safekit("-r", "../../bin/bulwark");
      assertEquals(escape.toString(), 2, escape.exitCode());
      Result absolute = node.safekit("-r", "/bin/echo", "hello");
      assertEquals("hello\n", absolute.out());
    }
  }

  @Test
  public void boundcmdReturnsTheCodeOr2OnTimeout() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.0.161", 19161)) {
      String boundcmd = node.home.resolve("private/bin/boundcmd").toString();
      assertEquals(
          4, NodeProcess.run(List.of(boundcmd, "5", "sh", "-c", "exit 4"), Map.of()).exitCode());
      long start = System.nanoTime();
      Result late =
          NodeProcess.run(List.of(boundcmd, "1", "sh", "-c", "sleep 60 & wait"), Map.of());
      assertEquals(late.toString(), 2, late.exitCode());
      assertTrue(System.nanoTime() - start < 30_000_000_000L);
      for (List<String> bad : List.of(List.of("x", "true"), List.of("0", "true"), List.of("5"))) {
        List<String> command = new java.util.ArrayList<>(List.of(boundcmd));
        command.addAll(bad);
        Result r = NodeProcess.run(command, Map.of());
        assertEquals(r.toString(), 125, r.exitCode());
        assertTrue(r.err(), r.err().contains("Usage: boundcmd"));
      }
    }
  }

  @Test
  public void gencronCommentsOutAndPutsBackEntries() throws Exception {
    ensureCron();
    String user = "bwkcron" + (System.nanoTime() % 100000);
    System.out.println("gencron test user " + user);
    try (NodeProcess node = NodeProcess.copy("127.0.0.162", 19162)) {
      String gencron = node.home.resolve("private/bin/gencron").toString();
      assertEquals(0, NodeProcess.run(List.of("useradd", "-M", "-N", user), Map.of()).exitCode());
      try {
        String table =
            "MAILTO=root\n# kept\n*/5 * * * * /usr/local/bin/backup.sh\n0 1 * * * /usr/bin/report\n";
        Path file = node.home.resolve("crontab.txt");
        Files.writeString(file, table);
        assertEquals(
            0,
            NodeProcess.run(List.of("crontab", "-u", user, file.toString()), Map.of()).exitCode());
        ok(NodeProcess.run(List.of(gencron, "del", user, "backup", "-c", "app"), Map.of()));
        assertEquals(
            "MAILTO=root\n# kept\n#gencron:app# */5 * * * * /usr/local/bin/backup.sh\n"
                + "0 1 * * * /usr/bin/report\n",
            crontab(user));
        ok(NodeProcess.run(List.of(gencron, "del", user, "all"), Map.of()));
        assertTrue(crontab(user).contains("#gencron:safekit# 0 1 * * * /usr/bin/report\n"));
        // add puts back only what was commented with the same comment
        ok(NodeProcess.run(List.of(gencron, "add", user, "all", "-c", "app"), Map.of()));
        assertTrue(crontab(user).contains("\n*/5 * * * * /usr/local/bin/backup.sh\n"));
        assertTrue(crontab(user).contains("#gencron:safekit# 0 1"));
        ok(NodeProcess.run(List.of(gencron, "add", user, "all"), Map.of()));
        assertEquals(table, crontab(user));
        // bad calls change nothing
        for (List<String> bad :
            List.of(
                List.of(gencron, "drop", user, "all"),
                List.of(gencron, "del", user),
                List.of(gencron, "del", user, "all", "-x", "c"),
                List.of(gencron, "del", "nosuchuser" + user, "all"))) {
          Result r = NodeProcess.run(bad, Map.of());
          assertEquals(r.toString(), 2, r.exitCode());
        }
        assertEquals(table, crontab(user));
      } finally {
        NodeProcess.run(List.of("crontab", "-u", user, "-r"), Map.of());
        NodeProcess.run(List.of("userdel", user), Map.of());
      }
    }
  }

  private static String crontab(String user) throws Exception {
    return ok(NodeProcess.run(List.of("crontab", "-u", user, "-l"), Map.of())).out();
  }

  /** The crontab command comes from Debian's cron package, installed by .ci/packages. */
  private static void ensureCron() throws Exception {
    assertEquals(
        "crontab is missing: run .ci/packages (Debian package cron)",
        0,
        NodeProcess.run(List.of("sh", "-c", "command -v crontab"), Map.of()).exitCode());
  }
}
