package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Farm;
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
}
