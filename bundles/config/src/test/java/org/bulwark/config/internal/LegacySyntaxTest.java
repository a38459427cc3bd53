package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Farm;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.Node;
import org.junit.Test;

/** The syntax of before 7.2 is still read (spec B.0), into the same model. */
public class LegacySyntaxTest {

  private static ModuleConfig parse(String text) {
    return TestFiles.SERVICE
        .parseModule("u.xml", text.getBytes(StandardCharsets.UTF_8), TestFiles.CONTEXT)
        .orElseThrow();
  }

  @Test
  public void mirrorHeartbeatsAndFlowListServers() {
    ModuleConfig config =
        parse(
            "<safe><service mode=\"mirror\"><heart>"
                + "<heartbeat ident=\"main\"><server addr=\"192.168.1.10\"/><server addr=\"192.168.1.11\"/>"
                + "</heartbeat></heart><rfs><flow><server addr=\"10.0.0.10\"/><server addr=\"10.0.0.11\"/>"
                + "</flow><replicated dir=\"/d\"/></rfs></service></safe>");
    var heartbeat = config.heart().orElseThrow().heartbeats().get(0);
    assertEquals("", heartbeat.name());
    assertEquals("main", heartbeat.ident());
    assertEquals(List.of("192.168.1.10", "192.168.1.11"), heartbeat.servers());
    assertEquals(List.of("10.0.0.10", "10.0.0.11"), config.rfs().orElseThrow().flowServers());
  }

  @Test
  public void farmLansListNodes() {
    ModuleConfig config =
        parse(
            "<safe><service mode=\"farm\"><farm><lan>"
                + "<node name=\"n1\" addr=\"192.168.1.10\"/><node addr=\"192.168.1.11\"/></lan></farm>"
                + "</service></safe>");
    Farm farm = config.farm().orElseThrow();
    assertEquals(
        List.of(
            new Farm.Lan(
                "",
                List.of(
                    new Node("n1", "192.168.1.10", Optional.empty()),
                    new Node("", "192.168.1.11", Optional.empty())))),
        farm.lans());
    assertEquals(List.of(), farm.lanNames());
  }

  @Test
  public void legacyFarmLansMapToLansOfTheirNodes() {
    ModuleConfig config =
        parse(
            "<safe><service mode=\"farm\"><farm>"
                + "<lan><node name=\"web1\" addr=\"192.168.1.10\"/><node addr=\"192.168.1.11\"/>"
                + "<node addr=\"192.168.1.12\"/></lan></farm></service></safe>");
    Farm farm = config.farm().orElseThrow();
    assertTrue(farm.legacy());
    // named nodes keep their name, an unnamed one takes cluster.xml's name of its address, else
    // its address
    assertEquals(
        List.of(
            new Lan(
                "farm_lan_1",
                false,
                List.of(
                    new Node("web1", "192.168.1.10", Optional.empty()),
                    new Node("node2", "192.168.1.11", Optional.empty()),
                    new Node("192.168.1.12", "192.168.1.12", Optional.empty())))),
        farm.legacyLans(Optional.of(TestFiles.CLUSTER)));
    assertEquals(
        List.of("web1", "192.168.1.11", "192.168.1.12"),
        farm.legacyLans(Optional.empty()).get(0).nodes().stream().map(Node::name).toList());
  }

  @Test
  public void legacyFarmOnTwoLansIsOneNodePerName() {
    ModuleConfig config =
        parse(
            "<safe><service mode=\"farm\"><farm pulse=\"200ms\">"
                + "<lan><node name=\"web1\" addr=\"192.168.1.10\"/>"
                + "<node name=\"web2\" addr=\"192.168.1.11\"/></lan>"
                + "<lan><node name=\"web1\" addr=\"10.0.0.10\"/>"
                + "<node name=\"web2\" addr=\"[fd00::11]\"/></lan></farm></service></safe>");
    Farm farm = config.farm().orElseThrow();
    List<Lan> lans = farm.legacyLans(Optional.of(TestFiles.CLUSTER));
    assertEquals(List.of("farm_lan_1", "farm_lan_2"), lans.stream().map(Lan::name).toList());
    assertEquals("10.0.0.10", lans.get(1).node("web1").orElseThrow().addr());
    assertEquals("[fd00::11]", lans.get(1).node("web2").orElseThrow().addr());
    assertEquals(200, farm.pulse().toMillis());
  }

  @Test
  public void aFarmOfTheSeventwoSyntaxHasNoLegacyLans() {
    ModuleConfig config =
        parse("<safe><service mode=\"farm\"><farm><lan name=\"default\"/></farm></service></safe>");
    assertFalse(config.farm().orElseThrow().legacy());
    assertEquals(List.of(), config.farm().orElseThrow().legacyLans(Optional.of(TestFiles.CLUSTER)));
  }
}
