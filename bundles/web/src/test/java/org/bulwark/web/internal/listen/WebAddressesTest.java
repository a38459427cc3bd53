package org.bulwark.web.internal.listen;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.junit.Test;

public class WebAddressesTest {
  /** Two lans; node1 is 10.0.0.1 and 192.168.1.1 (the latter behind NAT, laddr 172.16.0.1). */
  private static final Optional<ClusterConfig> CLUSTER =
      Optional.of(
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
                          new Node("node1", "10.0.0.1", Optional.empty()),
                          new Node("node2", "10.0.0.2", Optional.empty()))),
                  new Lan(
                      "backup",
                      false,
                      List.of(
                          new Node("node1", "192.168.1.1", Optional.of("172.16.0.1")),
                          new Node("node2", "[fd00::2]", Optional.empty()))))));

  @Test
  public void clusterModeServesEveryLanAddressOfThisNodeAndLoopback() {
    assertEquals(
        List.of("10.0.0.1", "172.16.0.1", "127.0.0.1"),
        WebAddresses.select("cluster", "10.0.0.1", "host", CLUSTER));
  }

  @Test
  public void clusterAddressesThatAreNotThisMachinesAreLeftOut() {
    assertEquals(
        List.of("10.0.0.1", "127.0.0.1"),
        WebAddresses.select("cluster", "10.0.0.1", "host", CLUSTER, a -> !a.equals("172.16.0.1")));
  }

  @Test
  public void theNodeIsFoundByHostNameWhenTheBindAddressIsNotInClusterXml() {
    assertEquals(
        List.of("10.9.9.9", "10.0.0.2", "fd00::2", "127.0.0.1"),
        WebAddresses.select(null, "10.9.9.9", "node2", CLUSTER));
  }

  @Test
  public void aLoopbackBindAddressIsItsOwnLoopback() {
    assertEquals(
        List.of("127.0.0.181"), WebAddresses.select("", "127.0.0.181", "host", Optional.empty()));
  }

  @Test
  public void withoutClusterXmlOnlyTheBindAddressAndLoopback() {
    assertEquals(
        List.of("10.0.0.7", "127.0.0.1"),
        WebAddresses.select("cluster", "10.0.0.7", "nobody", Optional.empty()));
    assertEquals(
        List.of("10.0.0.7", "127.0.0.1"),
        WebAddresses.select("cluster", "10.0.0.7", "nobody", CLUSTER));
  }

  @Test
  public void allAndExplicitLists() {
    assertEquals(List.of("0.0.0.0"), WebAddresses.select("all", "10.0.0.1", "h", CLUSTER));
    assertEquals(
        List.of("10.0.0.1", "fd00::1"),
        WebAddresses.select(" 10.0.0.1, [fd00::1] ,10.0.0.1", "10.0.0.1", "h", CLUSTER));
    assertEquals(List.of("0.0.0.0"), WebAddresses.select("0.0.0.0", "10.0.0.1", "h", CLUSTER));
  }

  @Test
  public void badEntriesAreNamed() {
    for (String bad : List.of("10.0.0.1,,10.0.0.2", "node1", "10.0.0.256", "clusters")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WebAddresses.validate(bad));
      assertTrue(e.getMessage(), e.getMessage().startsWith("bulwark.web.addr (BULWARK_WEB_ADDR)"));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WebAddresses.validate("1.2.3.4,web1"));
    assertTrue(e.getMessage(), e.getMessage().contains("'web1' is not an IP address"));
  }
}
