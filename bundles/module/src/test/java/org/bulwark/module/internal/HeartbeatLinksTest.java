package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Heart;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.heartbeat.HeartbeatService.Link;
import org.junit.Test;

/** Where a mirror module's heartbeats go, from cluster.xml and {@code <heart>} (B.4, A.2, G.9). */
public class HeartbeatLinksTest {
  private final MemoryStore store = new MemoryStore();
  private final JournalWriter writer = new JournalWriter("test-journal", 1000);
  private final HeartbeatLinks links =
      new HeartbeatLinks(
          env("10.0.0.1"), new Journal("m", store, store, Clock.systemUTC(), writer));

  private static NodeEnvironment env(String bind) {
    return new NodeEnvironment() {
      @Override
      public SafeDirectories directories() {
        throw new UnsupportedOperationException();
      }

      @Override
      public String version() {
        return "test";
      }

      @Override
      public String hostName() {
        return "host";
      }

      @Override
      public String bindAddress() {
        return bind;
      }
    };
  }

  private static final ClusterConfig CLUSTER =
      new ClusterConfig(
          4800,
          Duration.ofMillis(100),
          20,
          10,
          List.of(
              new Lan(
                  "default",
                  true,
                  List.of(
                      new Node("n1", "192.168.1.10", Optional.empty()),
                      new Node("n2", "192.168.1.11", Optional.empty()))),
              new Lan(
                  "repli",
                  false,
                  List.of(
                      new Node("n1", "10.0.0.1", Optional.of("10.0.9.1")),
                      new Node("n2", "10.0.0.2", Optional.empty()))),
              new Lan(
                  "three",
                  false,
                  List.of(
                      new Node("n1", "10.1.0.1", Optional.empty()),
                      new Node("n2", "10.1.0.2", Optional.empty()),
                      new Node("n3", "10.1.0.3", Optional.empty())))));

  private static Heart.Heartbeat beat(String lan, String ident) {
    return new Heart.Heartbeat(
        lan, ident, Heart.DEFAULT_PULSE, Heart.DEFAULT_TIMEOUT, List.<String>of());
  }

  private static Heart heart(OptionalInt port, Heart.Heartbeat... beats) {
    return new Heart(port, Heart.DEFAULT_PULSE, Heart.DEFAULT_TIMEOUT, true, List.of(beats));
  }

  @Test
  public void everyLanGivesOurAddressAndThePeersOnTheModulePort() {
    Heart h = heart(OptionalInt.empty(), beat("default", "0"), beat("repli", "flow"));
    assertEquals(
        Optional.of(
            List.of(
                new Link(
                    "0",
                    new InetSocketAddress("192.168.1.11", 8890),
                    new InetSocketAddress("192.168.1.10", 8890)),
                new Link(
                    "flow",
                    new InetSocketAddress("10.0.0.2", 8890),
                    new InetSocketAddress("10.0.0.1", 8890)))),
        links.of(3, Optional.of(h), Optional.of(CLUSTER), "n2"));
    // laddr is what this node binds; the peer is reached at its addr
    assertEquals(
        new InetSocketAddress("10.0.9.1", 7000),
        links
            .of(
                3,
                Optional.of(heart(OptionalInt.of(7000), beat("repli", "r"))),
                Optional.of(CLUSTER),
                "n1")
            .orElseThrow()
            .get(0)
            .local());
  }

  @Test
  public void withoutHeartTheCommandLanCarriesIdentZero() {
    assertEquals(
        Optional.of(
            List.of(
                new Link(
                    "0",
                    new InetSocketAddress("192.168.1.10", 8888),
                    new InetSocketAddress("192.168.1.11", 8888)))),
        links.of(1, Optional.empty(), Optional.of(CLUSTER), "n1"));
  }

  @Test
  public void theLegacySyntaxNamesBothAddresses() {
    Heart.Heartbeat legacy =
        new Heart.Heartbeat(
            "", "0", Heart.DEFAULT_PULSE, Heart.DEFAULT_TIMEOUT, List.of("10.0.0.1", "10.0.0.2"));
    assertEquals(
        Optional.of(
            List.of(
                new Link(
                    "0",
                    new InetSocketAddress("10.0.0.1", 8888),
                    new InetSocketAddress("10.0.0.2", 8888)))),
        links.of(1, Optional.of(heart(OptionalInt.empty(), legacy)), Optional.empty(), "n1"));
  }

  @Test
  public void whatCannotWorkIsLoggedNotThrown() {
    assertEquals(
        Optional.empty(),
        links.of(
            1,
            Optional.of(heart(OptionalInt.empty(), beat("nolan", "0"))),
            Optional.of(CLUSTER),
            "n1"));
    assertEquals(
        Optional.empty(),
        links.of(
            1,
            Optional.of(heart(OptionalInt.empty(), beat("three", "0"))),
            Optional.of(CLUSTER),
            "n1"));
    assertEquals(
        Optional.empty(),
        links.of(
            1,
            Optional.of(heart(OptionalInt.empty(), beat("default", "0"))),
            Optional.of(CLUSTER),
            "n9"));
    assertEquals(Optional.empty(), links.of(1, Optional.empty(), Optional.empty(), "n1"));
    assertTrue(writer.flush(java.time.Duration.ofSeconds(10)));
    String log = String.join("\n", store.messages());
    assertTrue(
        log,
        log.contains("No heartbeat can be sent: heartbeat 0: lan nolan is not in cluster.xml"));
    assertTrue(
        log, log.contains("lan three must hold exactly two nodes for a mirror module, found 3"));
    assertTrue(log, log.contains("this node n9 is not on lan default"));
    assertTrue(
        log, log.contains("no cluster configuration (safekit cluster config) and no <heart>"));
  }
}
