package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.module.internal.ProcessTree.Proc;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The node's programs of {@code safekit -r} (spec E.5): xpathGet, logI18nMSG's text, processtree.
 */
public class ToolboxProgramsTest {

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final String SAFECONF =
      "<!DOCTYPE safe>\n<safe>\n<service mode=\"light\">\n<user>\n"
          + "  <var name=\"SERVICES\" value=\"httpd, redis\"/>\n"
          + "  <var name=\"PORT\" value=\"8080\"/>\n</user>\n</service>\n</safe>\n";

  /** Output and exit code of one run. */
  private static final class Run implements CliOutput {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final PrintWriter o = new PrintWriter(out, true);
    final PrintWriter e = new PrintWriter(err, true);
    int code;

    @Override
    public PrintWriter out() {
      return o;
    }

    @Override
    public PrintWriter err() {
      return e;
    }
  }

  /** {@code safekit -r xpathGet …} as the node runs it. */
  private static Run xpathGet(String pwd, String... args) {
    Run r = new Run();
    CliRequest request = new CliRequest("-r", List.of(args), null, null, Map.of("PWD", pwd));
    r.code = InternalVerb.xpathGet(request, new VerbSupport.Args(List.of(args)), r);
    return r;
  }

  private static InternalVerb.LogLine logLine(String module, String... args) {
    CliRequest request = new CliRequest("-r", List.of(args), module, null, Map.of());
    return InternalVerb.LogLine.parse(request, new VerbSupport.Args(List.of(args)));
  }

  @Test
  public void xpathGetReadsTheVariablesOfSafeconf() throws Exception {
    Path conf = tmp.newFolder("conf").toPath().resolve("safeconf.xml");
    Files.writeString(conf, SAFECONF);
    Run services = xpathGet("/", "//user/var[@name='SERVICES']/@value", conf.toString());
    assertEquals(services.err.toString(), CliExit.OK, services.code);
    assertEquals("httpd, redis\n", services.out.toString());
    // relative to the caller's directory; several values one per line
    Run all = xpathGet(conf.getParent().toString(), "//var/@name", "safeconf.xml");
    assertEquals("SERVICES\nPORT\n", all.out.toString());
    Run none = xpathGet("/", "//var[@name='NOPE']/@value", conf.toString());
    assertEquals(CliExit.FAILED, none.code);
    assertEquals("", none.out.toString());
    Run count = xpathGet("/", "count(//var)", conf.toString());
    assertEquals("2\n", count.out.toString());
  }

  @Test
  public void xpathGetRefusesBadInputClearly() throws Exception {
    Path conf = tmp.newFile("broken.xml").toPath();
    Files.writeString(conf, "<safe><user></safe>");
    Run broken = xpathGet("/", "//user", conf.toString());
    assertEquals(CliExit.FAILED, broken.code);
    assertTrue(broken.err.toString(), broken.err.toString().startsWith("Error: " + conf + ": not"));
    Run missing = xpathGet("/", "//user", "/nonexistent/safeconf.xml");
    assertEquals("Error: /nonexistent/safeconf.xml: no such file\n", missing.err.toString());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> xpathGet("/", "//var[@name=", conf.toString()));
    assertTrue(bad.getMessage(), bad.getMessage().contains("invalid XPath expression"));
    assertThrows(IllegalArgumentException.class, () -> xpathGet("/", "//var"));
    // an external entity is never read
    Path secret = tmp.newFile("secret").toPath();
    Files.writeString(secret, "SECRET");
    Path evil = tmp.newFile("evil.xml").toPath();
    Files.writeString(
        evil, "<!DOCTYPE safe [<!ENTITY x SYSTEM \"file://" + secret + "\">]><safe>&x;</safe>");
    Run entity = xpathGet("/", "/safe", evil.toString());
    assertFalse(entity.out.toString(), entity.out.toString().contains("SECRET"));
  }

  @Test
  public void logTextFillsItsArguments() {
    assertEquals(
        "service httpd failed (3)",
        InternalVerb.fill("service %1 failed (%2)", List.of("httpd", "3")));
    assertEquals("100% of %3", InternalVerb.fill("100% of %3", List.of("a")));
    InternalVerb.LogLine line =
        logLine("AM", "-i", "mycheck", "W", "service %1 is %2", "db", "down");
    assertEquals(
        new InternalVerb.LogLine(
            org.bulwark.api.store.EventLevel.W, "mycheck", "service db is down"),
        line);
    assertEquals("userplug", logLine("AM", "E", "t").component());
    assertThrows(IllegalArgumentException.class, () -> logLine("AM", "X", "text"));
    assertThrows(IllegalArgumentException.class, () -> logLine("AM", "E"));
    assertThrows(IllegalArgumentException.class, () -> logLine(null, "E", "t"));
    assertThrows(
        IllegalArgumentException.class,
        () -> logLine("AM", "E", "t", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
  }

  private static final List<Proc> TABLE =
      List.of(
          new Proc(1, 0, "init", "/sbin/init"),
          new Proc(10, 1, "httpd", "/usr/sbin/httpd -k start"),
          new Proc(11, 10, "httpd", "/usr/sbin/httpd -k start"),
          new Proc(12, 11, "sh", "sh -c cgi"),
          new Proc(20, 1, "httpd", "/opt/other/httpd -f other.conf"),
          new Proc(30, 1, "java", "java -jar node.jar"),
          new Proc(31, 30, "safekit", "safekit -r processtree kill all httpd"));

  @Test
  public void processtreeSelectsTreesByNameAndRegex() {
    assertEquals(
        List.of(10L, 11L, 20L, 12L), pids(ProcessTree.select(TABLE, "httpd", null, Set.of())));
    assertEquals(
        List.of(10L, 11L, 12L), pids(ProcessTree.select(TABLE, "httpd", "^/usr/sbin/", Set.of())));
    assertEquals(
        List.of(10L, 11L, 20L, 12L),
        pids(ProcessTree.select(TABLE, "all", "httpd", Set.of(31L, 30L, 1L))));
    assertEquals(List.of(), ProcessTree.select(TABLE, "nginx", null, Set.of()));
    assertThrows(
        IllegalArgumentException.class, () -> ProcessTree.select(TABLE, "all", "(", Set.of()));
  }

  @Test
  public void processtreeKillsTopsFirstAndNeverItsCaller() {
    FakeTable table = new FakeTable(TABLE);
    List<String> lines = ProcessTree.run(table, List.of("kill", "all", "httpd"));
    assertEquals(List.of(10L, 11L, 20L, 12L), table.killed);
    assertEquals("killed 10 1 httpd /usr/sbin/httpd -k start", lines.get(0));
    List<String> listed = ProcessTree.run(new FakeTable(TABLE), List.of("list", "sh"));
    assertEquals(List.of("12 11 sh sh -c cgi"), listed);
  }

  @Test
  public void processtreeRefusesBadArgumentsAndKillsNothing() {
    FakeTable table = new FakeTable(TABLE);
    for (List<String> bad :
        List.of(
            List.<String>of(),
            List.of("stop", "httpd"),
            List.of("kill"),
            List.of("kill", "all"),
            List.of("kill", "httpd", "a", "b"),
            List.of("kill", "all", "("))) {
      assertThrows(
          bad.toString(), IllegalArgumentException.class, () -> ProcessTree.run(table, bad));
    }
    assertEquals(List.of(), table.killed);
  }

  @Test
  public void processtreeKillsARealTree() throws Exception {
    String marker = "bulwark-tree-" + System.nanoTime();
    // a shell (the top) with two sleeping children, all carrying the marker in their command line
    Process top =
        new ProcessBuilder("sh", "-c", "sleep 300 & sleep 301 & wait # " + marker, marker).start();
    try {
      ProcessTree.Linux linux = new ProcessTree.Linux(Path.of("/proc"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<Proc> tree;
      do {
        tree = ProcessTree.select(linux.processes(), "sh", marker, linux.protectedPids());
        assertTrue("the tree never had its two children", System.nanoTime() < deadline);
      } while (tree.size() < 3);
      List<String> listed = ProcessTree.run(linux, List.of("list", "sh", marker));
      assertEquals(listed.toString(), 3, listed.size());
      List<Long> children = pids(tree).subList(1, 3);
      ProcessTree.run(linux, List.of("kill", "sh", marker));
      assertTrue(top.waitFor(20, TimeUnit.SECONDS));
      for (long child : children) {
        ProcessHandle.of(child).ifPresent(h -> h.onExit().join());
      }
      assertTrue(ProcessTree.select(linux.processes(), "sh", marker, Set.of()).isEmpty());
    } finally {
      top.descendants().forEach(ProcessHandle::destroyForcibly);
      top.destroyForcibly();
    }
  }

  private static List<Long> pids(List<Proc> procs) {
    List<Long> pids = new ArrayList<>();
    procs.forEach(p -> pids.add(p.pid()));
    return pids;
  }

  /** A fixed table that records what it was asked to kill. */
  private static final class FakeTable implements ProcessTree.Table {
    final List<Proc> procs;
    final List<Long> killed = new ArrayList<>();

    FakeTable(List<Proc> procs) {
      this.procs = procs;
    }

    @Override
    public List<Proc> processes() {
      return procs;
    }

    @Override
    public boolean kill(long pid) {
      killed.add(pid);
      return true;
    }

    @Override
    public Set<Long> protectedPids() {
      return Set.of(1L);
    }
  }
}
