package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
   * The class data archive of {@code bin/bulwark} (docs/install.md): a copy maps the one the
   * template's stop wrote; a node without one writes it when it stops, not when it is killed, and
   * maps it at its next start.
   */
  @Test
  public void classDataArchiveWrittenAtAStopAndMappedAtStarts() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.3.233", 19433)) {
      Path cds = node.home.toRealPath().resolve("data/cds");
      ok(node.start());
      List<Path> template = files(cds);
      assertEquals(1, template.size());
      assertEquals(template, mapped(node, cds));

      node.kill9();
      awaitLauncherEnd(node);
      Files.delete(template.get(0));
      ok(node.start());
      assertEquals(List.of(), mapped(node, cds));
      node.kill9();
      awaitLauncherEnd(node);
      assertEquals("a killed JVM writes no archive", List.of(), files(cds));

      ok(node.start());
      ok(node.stop());
      List<Path> written = files(cds);
      assertEquals(1, written.size());
      assertTrue(
          written.toString(), written.get(0).getFileName().toString().matches("node-\\d+\\.jsa"));
      ok(node.start());
      assertEquals(written, mapped(node, cds));
    }
  }

  /** A JVM that refuses its options: {@code bin/bulwark start} says so at once, with its words. */
  @Test
  public void aJvmThatCannotStartIsSaidAtOnce() throws Exception {
    try (NodeProcess node = NodeProcess.copy("127.0.3.234", 19434)) {
      Result start =
          NodeProcess.run(
              List.of(node.home.resolve("bin/bulwark").toString(), "start"),
              Map.of(
                  "BULWARK_ADDR", "127.0.3.234",
                  "BULWARK_WEB_PORT", "19434",
                  "EXTRA_JAVA_OPTS", "-XX:+NoSuchOption"),
              Duration.ofSeconds(60)); // the start timeout is 120 s
      assertEquals(start.toString(), 1, start.exitCode());
      assertTrue(start.err(), start.err().contains("Unrecognized VM option 'NoSuchOption'"));
      assertEquals(3, node.bulwark("status").exitCode());
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    }
  }

  /** The files of {@code dir} the node's JVM has mapped. */
  private static List<Path> mapped(NodeProcess node, Path dir) throws IOException {
    try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(node.pid()), "maps"))) {
      return maps.map(
              line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
          .filter(name -> name.startsWith(dir + "/"))
          .distinct()
          .map(Path::of)
          .sorted()
          .toList();
    }
  }

  /** Waits until the launcher of the node's JVM has ended (it may be keeping an archive). */
  private static void awaitLauncherEnd(NodeProcess node) throws Exception {
    long launcher = Long.parseLong(Files.readString(node.home.resolve("data/launcher.pid")).trim());
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (NodeProcess.running(launcher)) {
      assertTrue("launcher " + launcher + " still runs after 30 s", System.nanoTime() < end);
      Thread.sleep(50); // polling a condition with a deadline
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
