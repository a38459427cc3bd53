package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Farm;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.Node;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.heartbeat.FarmChannelService.Link;
import org.junit.Test;

/**
 * The farm's lans and nodes as the membership sees them (spec B.5, G.9), in the 7.2 syntax and in
 * the syntax of before 7.2 (spec B.0: {@code <farm><lan><node/>}).
 */
public class FarmWiringTest {
  private final MemoryStore store = new MemoryStore();
  private final Journal journal =
      new Journal("farm", store, store, Clock.systemUTC(), new JournalWriter("test-wiring", 100));

  private static final ClusterConfig CLUSTER =
      new ClusterConfig(
          4800,
          Duration.ofMillis(100),
          20,
          10,
          List.of(
              new Lan(
                  "default",
                  false,
                  List.of(
                      new Node("n1", "10.1.0.1", Optional.empty()),
                      new Node("n2", "10.1.0.2", Optional.empty()),
                      new Node("n3", "10.1.0.3", Optional.empty())))));

  private static ModuleConfig farm(List<Farm.Lan> lans) {
    ServiceConfig service =
        new ServiceConfig(
            ServiceConfig.Mode.FARM,
            ServiceConfig.Boot.IGNORE,
            Duration.ZERO,
            true,
            "alone",
            3,
            Duration.ofHours(24),
            false);
    Farm farm = new Farm(OptionalInt.empty(), Duration.ofMillis(100), 20, 10, lans);
    return new ModuleConfig(
        "farm",
        2,
        Map.of(),
        service,
        Optional.empty(),
        Optional.of(farm),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Check.NONE,
        Optional.empty());
  }

  private static Node node(String name, String addr) {
    return new Node(name, addr, Optional.empty());
  }

  @Test
  public void namedLansComeFromClusterXml() {
    FarmWiring w =
        FarmWiring.of(
                farm(List.of(new Farm.Lan("default", List.of()))),
                Optional.of(CLUSTER),
                "n2",
                "10.1.0.2",
                journal)
            .orElseThrow();
    assertEquals(List.of("n1", "n2", "n3"), w.config().nodes());
    Link link = w.links().get(0);
    assertEquals(new InetSocketAddress("10.1.0.2", 4806), link.local());
    assertEquals(
        Map.of(
            "n1",
            new InetSocketAddress("10.1.0.1", 4806),
            "n3",
            new InetSocketAddress("10.1.0.3", 4806)),
        link.peers());
  }

  @Test
  public void legacyLansListTheirNodesAndThisNodeIsFoundByItsAddress() {
    // before 7.2: no lan name; an unnamed node takes cluster.xml's name of its address, or the
    // address; this node is the one with its bind address when its name is not listed
    FarmWiring w =
        FarmWiring.of(
                farm(
                    List.of(
                        new Farm.Lan(
                            "",
                            List.of(
                                node("", "10.1.0.1"),
                                node("", "10.9.0.2"),
                                node("web3", "10.9.0.3"))))),
                Optional.of(CLUSTER),
                "host-b",
                "10.9.0.2",
                journal)
            .orElseThrow();
    assertEquals(List.of("10.9.0.2", "n1", "web3"), w.config().nodes());
    assertEquals("10.9.0.2", w.config().self());
    Link link = w.links().get(0);
    assertEquals("farm_lan_1", link.lan());
    assertEquals(new InetSocketAddress("10.9.0.2", 4806), link.local());
    assertEquals(
        Map.of(
            "n1", new InetSocketAddress("10.1.0.1", 4806),
            "web3", new InetSocketAddress("10.9.0.3", 4806)),
        link.peers());
  }

  @Test
  public void legacyLansWithoutClusterXmlAndThisNodeByName() {
    FarmWiring w =
        FarmWiring.of(
                farm(
                    List.of(
                        new Farm.Lan("", List.of(node("a", "10.9.0.1"), node("b", "10.9.0.2"))),
                        new Farm.Lan("", List.of(node("a", "10.8.0.1"), node("b", "10.8.0.2"))))),
                Optional.empty(),
                "b",
                "127.0.0.1",
                journal)
            .orElseThrow();
    assertEquals(List.of("a", "b"), w.config().nodes());
    assertEquals(2, w.links().size());
    assertEquals(new InetSocketAddress("10.8.0.2", 4806), w.links().get(1).local());
    // vmac_directed forwards to the addresses on the first lan
    assertEquals("10.9.0.1", w.addresses().get("a").getHostAddress());
  }

  @Test
  public void aNodeNotListedHasNoMembershipAndSaysWhy() throws Exception {
    Optional<FarmWiring> w =
        FarmWiring.of(
            farm(List.of(new Farm.Lan("", List.of(node("a", "10.9.0.1"), node("b", "10.9.0.2"))))),
            Optional.empty(),
            "c",
            "10.9.0.3",
            journal);
    assertTrue(w.isEmpty());
    journal.written().get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(
        store.messages().toString(),
        store.messages().stream()
            .anyMatch(
                m ->
                    m.contains(
                        "No farm membership: this node (c, 10.9.0.3) is none of the <node>s")));
  }
}
