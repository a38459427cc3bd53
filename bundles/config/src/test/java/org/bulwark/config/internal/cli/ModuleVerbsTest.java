package org.bulwark.config.internal.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.cli.CliExit;
import org.bulwark.config.internal.XmlConfigService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code safekit confcheck -m AM} and {@code safekit confinfo -m AM}. */
public class ModuleVerbsTest {

  private static final String FARM =
      "<!DOCTYPE safe>\n<safe>\n<service mode=\"farm\">\n"
          + "<farm><lan name=\"default\"/></farm>\n<user><var name=\"BIN\" value=\"%SAFEBIN%\"/>"
          + "</user>\n</service>\n</safe>\n";

  private VerbFixture fixture;
  private ConfcheckVerb confcheck;
  private ConfinfoVerb confinfo;

  @Before
  public void node() throws IOException {
    fixture = new VerbFixture();
    confcheck = new ConfcheckVerb(new XmlConfigService(), fixture.node);
    confinfo = new ConfinfoVerb(fixture.node);
  }

  @After
  public void cleanUp() throws IOException {
    fixture.close();
  }

  private Path install(String module, String content) throws IOException {
    Path file =
        fixture
            .node
            .directories()
            .modules()
            .resolve(module)
            .resolve("conf")
            .resolve("userconfig.xml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  public void confcheckValidatesTheInstalledModule() throws Exception {
    install("web", FARM);
    assertEquals(CliExit.OK, confcheck.run(fixture.request("confcheck", "web"), fixture.output()));
    assertEquals("web: configuration is valid (farm module)\n", fixture.out());
  }

  @Test
  public void confcheckChecksLansAgainstTheAppliedCluster() throws Exception {
    Path cluster = fixture.node.directories().cluster().resolve("cluster.xml");
    Files.createDirectories(cluster.getParent());
    Files.writeString(
        cluster,
        "<cluster><lans><lan name=\"lan1\"><node name=\"a\" addr=\"1.1.1.1\""
            + "/><node name=\"b\" addr=\"1.1.1.2\"/></lan></lans></cluster>");
    Path file = install("web", FARM);
    assertEquals(
        CliExit.FAILED, confcheck.run(fixture.request("confcheck", "web"), fixture.output()));
    assertEquals(
        file
            + ":4:12: /safe/service/farm/lan/@name: lan 'default' is not defined in "
            + "cluster.xml; defined lans: lan1\n1 error: configuration not valid\n",
        fixture.err());
  }

  @Test
  public void confcheckRunsTheModulesOwnScript() throws Exception {
    Path conf = install("web", FARM);
    Path script = conf.getParent().resolveSibling("bin").resolve("confcheck");
    Files.createDirectories(script.getParent());
    Files.writeString(
        script,
        "#!/bin/sh\necho \"checking $SAFEMODULE in $(pwd) with $BIN\"\n"
            + "[ -f ok ] && exit 0\necho \"SERVICES is empty\" >&2; exit 3\n");
    script.toFile().setExecutable(true);
    assertEquals(
        CliExit.FAILED, confcheck.run(fixture.request("confcheck", "web"), fixture.output()));
    String bin = fixture.node.directories().safeBin().toString();
    assertEquals(
        "web: configuration is valid (farm module)\nchecking web in "
            + script.getParent()
            + " with "
            + bin
            + "\n",
        fixture.out());
    assertTrue(
        fixture.err(), fixture.err().startsWith("SERVICES is empty\nError: web: the module"));
    assertTrue(fixture.err(), fixture.err().contains("failed with exit code 3"));
    Files.writeString(script.resolveSibling("ok"), "");
    assertEquals(CliExit.OK, confcheck.run(fixture.request("confcheck", "web"), fixture.output()));
  }

  @Test
  public void confcheckNeedsAModule() throws Exception {
    assertEquals(
        CliExit.USAGE, confcheck.run(fixture.request("confcheck", null), fixture.output()));
    assertEquals("a module is required: -m AM\nusage: safekit confcheck -m AM\n", fixture.err());
    assertEquals(
        CliExit.USAGE, confcheck.run(fixture.request("confcheck", "../etc"), fixture.output()));
    assertEquals(
        CliExit.FAILED, confcheck.run(fixture.request("confcheck", "absent"), fixture.output()));
    assertTrue(fixture.err().contains("userconfig.xml:1:1: /: no such file"));
  }

  @Test
  public void confinfoComparesActiveAndCurrent() throws IOException {
    Path current = install("web", FARM);
    assertEquals(CliExit.OK, confinfo.run(fixture.request("confinfo", "web"), fixture.output()));
    assertTrue(
        fixture.out(),
        fixture
            .out()
            .matches(
                "active  signature none\ncurrent signature "
                    + "[0-9a-f]{64} date \\d+\nthe current configuration is not applied: run safekit "
                    + "config -m web\n"));
    Path active = fixture.node.directories().userConf("web").resolve("userconfig.xml");
    Files.createDirectories(active.getParent());
    Files.copy(current, active);
    assertEquals(CliExit.OK, confinfo.run(fixture.request("confinfo", "web"), fixture.output()));
    String[] lines = fixture.out().split("\n");
    assertEquals(2, lines.length);
    assertEquals(lines[0].substring(8, 81), lines[1].substring(8, 81));
  }

  @Test
  public void confinfoOfAnUnknownModuleFails() throws IOException {
    assertEquals(
        CliExit.FAILED, confinfo.run(fixture.request("confinfo", "nope"), fixture.output()));
    assertTrue(fixture.err().startsWith("nope: module not installed"));
  }
}
