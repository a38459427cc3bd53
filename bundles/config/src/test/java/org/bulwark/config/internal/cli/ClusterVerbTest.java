package org.bulwark.config.internal.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.cli.CliExit;
import org.bulwark.config.internal.XmlConfigService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code safekit cluster …} run directly against a node in a temporary directory. */
public class ClusterVerbTest {

  private static final String GOOD =
      "<cluster><lans>\n<lan name=\"default\">\n"
          + "<node name=\"node1\" addr=\"192.168.1.10\"/>\n<node name=\"node2\" addr=\"192.168.1.11\""
          + " laddr=\"10.1.1.1\"/>\n</lan>\n<lan name=\"repli\" command=\"on\">\n"
          + "<node name=\"node1\" addr=\"10.0.0.10\"/>\n<node name=\"node2\" addr=\"10.0.0.11\"/>\n"
          + "</lan></lans></cluster>\n";

  private VerbFixture fixture;
  private ClusterVerb verb;

  @Before
  public void node() throws IOException {
    fixture = new VerbFixture();
    verb = new ClusterVerb(new XmlConfigService(), fixture.node);
  }

  @After
  public void cleanUp() throws IOException {
    fixture.close();
  }

  private Path write(String name, String content) throws IOException {
    Path file = fixture.root.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private int run(String... args) throws IOException {
    return verb.run(fixture.request("cluster", null, args), fixture.output());
  }

  private Path applied() {
    return fixture.node.directories().cluster().resolve("cluster.xml");
  }

  @Test
  public void confcheckAcceptsAValidFileByRelativePath() throws IOException {
    write("c.xml", GOOD);
    assertEquals(CliExit.OK, run("confcheck", "c.xml"));
    assertEquals("c.xml: cluster configuration is valid (2 lans, 2 nodes)\n", fixture.out());
    assertFalse(Files.exists(applied()));
  }

  @Test
  public void confcheckPrintsEveryErrorAndFails() throws IOException {
    Path file =
        write(
            "bad.xml",
            GOOD.replace("<lans>", "<lans pluse=\"1\">").replace("10.0.0.11", "10.0.0.300"));
    assertEquals(CliExit.FAILED, run("confcheck", file.toString()));
    assertEquals(
        file
            + ":1:16: /cluster/lans/@pluse: unknown attribute 'pluse' on <lans>; "
            + "expected one of: port, pulse, mlost_count, slost_count (did you mean 'pulse'?)\n"
            + file
            + ":8:20: /cluster/lans/lan[2]/node[2]/@addr: '10.0.0.300' is not a valid IPv4 "
            + "address\n2 errors: configuration not valid\n",
        fixture.err());
  }

  @Test
  public void configInstallsOnlyAValidFile() throws IOException {
    write("bad.xml", "<cluster>");
    assertEquals(CliExit.FAILED, run("config", "bad.xml"));
    assertTrue(fixture.err().contains("cluster configuration not applied"));
    assertFalse(Files.exists(applied()));

    write("c.xml", GOOD);
    assertEquals(CliExit.OK, run("config", "c.xml"));
    assertEquals(GOOD, Files.readString(applied()));
    assertTrue(
        fixture
            .out()
            .startsWith(
                "cluster configuration applied on node1: 2 lans, 2 nodes" + ", signature "));
    try (var files = Files.list(applied().getParent())) {
      assertEquals("no temporary file left", 1, files.count());
    }
    write("bad.xml", GOOD.replace("node2", "node1"));
    assertEquals(CliExit.FAILED, run("config", "bad.xml"));
    assertEquals("the previous configuration stays", GOOD, Files.readString(applied()));
  }

  @Test
  public void lockRefusesLaterConfigUntilUnlock() throws IOException {
    write("c.xml", GOOD);
    assertEquals(CliExit.OK, run("config", "c.xml", "lock"));
    assertEquals(CliExit.OK, run("confinfo"));
    assertTrue(
        fixture.out(),
        fixture
            .out()
            .matches(
                "node1: signature [0-9a-f]{64} date "
                    + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d lock 1\n"));
    write("d.xml", GOOD.replace("192.168.1.10", "192.168.1.20"));
    assertEquals(CliExit.FAILED, run("config", "d.xml"));
    assertEquals(
        "the cluster configuration is locked; run 'safekit cluster config d.xml "
            + "unlock' to replace it\n",
        fixture.err());
    assertEquals(CliExit.OK, run("config", "d.xml", "unlock"));
    assertEquals(CliExit.OK, run("confinfo"));
    assertTrue(fixture.out().endsWith(" lock 0\n"));
    assertTrue(Files.readString(applied()).contains("192.168.1.20"));
  }

  @Test
  public void stateListsNodesPerLanFromTheAppliedFile() throws IOException {
    assertEquals(CliExit.FAILED, run("state"));
    assertEquals("node1: no cluster configuration applied\n", fixture.err());
    write("c.xml", GOOD);
    run("config", "c.xml");
    assertEquals(CliExit.OK, run("state"));
    assertEquals(
        "lan default\n"
            + "  node1                192.168.1.10\n"
            + "  node2                192.168.1.11 (local 10.1.1.1)\n"
            + "lan repli (command)\n"
            + "  node1                10.0.0.10\n"
            + "  node2                10.0.0.11\n",
        fixture.out());
  }

  @Test
  public void wrongUsageIsAUsageError() throws IOException {
    assertEquals(CliExit.USAGE, run());
    assertTrue(fixture.err().startsWith("usage: safekit cluster confcheck"));
    assertEquals(CliExit.USAGE, run("frobnicate"));
    assertTrue(fixture.err().startsWith("unknown cluster command 'frobnicate'"));
    assertEquals(CliExit.USAGE, run("confcheck"));
    assertEquals(CliExit.USAGE, run("config", "c.xml", "sideways"));
    assertEquals(CliExit.USAGE, run("config", "c.zip"));
    assertTrue(fixture.err().contains("expected an .xml cluster configuration"));
    assertEquals(CliExit.FAILED, run("confcheck", "missing.xml"));
    assertTrue(fixture.err().contains("missing.xml:1:1: /: no such file"));
  }

  @Test
  public void unwritableClusterDirectoryIsAMessage() throws IOException {
    write("c.xml", GOOD);
    Path clusterDir = fixture.node.directories().cluster();
    Files.createDirectories(clusterDir.getParent());
    Files.writeString(clusterDir, "a file where the directory should be");
    assertEquals(CliExit.FAILED, run("config", "c.xml"));
    assertTrue(fixture.err(), fixture.err().startsWith("cluster config c.xml: java.nio.file."));
  }

  @Test
  public void deconfigRemovesTheAppliedFileAndItsLock() throws IOException {
    write("c.xml", GOOD);
    run("config", "c.xml", "lock");
    assertEquals(CliExit.OK, run("deconfig"));
    assertEquals("cluster configuration removed from node1\n", fixture.out());
    assertFalse(Files.exists(applied()));
    assertFalse(Files.exists(applied().resolveSibling("cluster.lock")));
    assertEquals(CliExit.OK, run("deconfig"));
    assertEquals("node1: no cluster configuration to remove\n", fixture.out());
    assertEquals(CliExit.FAILED, run("genkey"));
    assertEquals("cluster genkey: cluster keys are not available in this version\n", fixture.err());
  }

  @Test
  public void onlyConfigIsJournaled() {
    assertTrue(verb.journaled(fixture.request("cluster", null, "config", "c.xml")));
    assertFalse(verb.journaled(fixture.request("cluster", null, "confcheck", "c.xml")));
    assertFalse(verb.journaled(fixture.request("cluster", null)));
    assertTrue(verb.journaled(fixture.request("cluster", null, "deconfig")));
  }
}
