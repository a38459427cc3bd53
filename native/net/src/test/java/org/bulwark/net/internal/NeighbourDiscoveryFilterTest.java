package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.VirtualAddress;
import org.bulwark.api.net.VirtualMac;
import org.junit.Test;

/**
 * IPv6 neighbour discovery through the farm filter and its guard, {@code vmac_invisible}
 * (docs/vip.md, "IPv6 neighbour discovery"): the nodes' advertisements for the VIP and their
 * solicitations from it name the virtual MAC (their checksum rewritten right, or the client's
 * kernel would drop them), and a dead node's kernel answers no solicitation for the VIP. The client
 * counts, at its ingress, the advertisements for the VIP by the frame's source MAC (an nft counter
 * in its namespace).
 */
public class NeighbourDiscoveryFilterTest extends FarmTestBase {
  private static final String PREFIX6 = "fd00:f6::";
  private static final String COUNTERS = "bwtest_nd";
  private Inet6Address vip6;
  private final Map<String, String> macs = new LinkedHashMap<>();

  @Test
  public void advertisementsAndSolicitationsOfTheVipNameTheVirtualMac() throws Exception {
    farm6();
    for (int i = 0; i < 10; i++) {
      resolveVip();
      String neigh = neighbourOfVip();
      assertTrue(neigh, neigh.contains(farm.vmac.toString()));
      macs.values().forEach(mac -> assertFalse(neigh, neigh.contains(mac)));
    }
    fenceNodes(List.of("n1", "n2"));
    for (String node : FarmLab.NODES) {
      // each node answered (from its own MAC as the frame's source): the rewrite did not break them
      assertTrue(node + " answered: " + counters(), advertisedBy(node) >= 10);
    }

    // a node resolving the client from the VIP solicits with the VIP as source: the client takes
    // the sender's MAC from the solicitation, which must be the virtual MAC too
    InetSocketAddress client = new InetSocketAddress(InetAddress.getByName(PREFIX6 + "1:1"), 5353);
    try (DatagramChannel in = LabNet.in(farm.clients.get(0), DatagramChannel::open)) {
      in.bind(client).configureBlocking(false);
      for (String node : FarmLab.NODES) {
        long before = solicitationsFromVip();
        farm.lab.ip(node, "-6", "neigh", "flush", "dev", "eth0");
        try (DatagramChannel out = LabNet.in(farm.nodes.get(node), DatagramChannel::open)) {
          out.bind(new InetSocketAddress(vip6, 0));
          out.send(ByteBuffer.wrap(node.getBytes(StandardCharsets.US_ASCII)), client);
        }
        ByteBuffer got = ByteBuffer.allocate(16);
        Await.until(
            LIMIT, node + "'s datagram from the VIP arrives", () -> in.receive(got) != null);
        assertTrue(
            node + " solicited from the VIP: " + counters(), solicitationsFromVip() > before);
        String neigh = neighbourOfVip();
        assertTrue(neigh, neigh.contains(farm.vmac.toString()));
      }
    }
  }

  @Test
  public void aDeadNodesKernelAnswersNoSolicitationForTheVip() throws Exception {
    farm6();
    resolveVip();
    fenceNodes(List.of("n1", "n2"));
    // both answer while alive: the counters see a node that answers
    assertTrue(counters(), advertisedBy("n1") > 0 && advertisedBy("n2") > 0);

    // n2's process dies: its filter goes, its guard stays; n1 takes every bucket
    farm.filters.get("n2").close();
    currentSplit = Map.of("n1", BucketSet.ALL, "n2", BucketSet.EMPTY);
    farm.filters.get("n1").apply(table6(BucketSet.ALL));
    long n1Before = advertisedBy("n1");
    long n2Before = advertisedBy("n2");
    for (int i = 0; i < 10; i++) {
      resolveVip();
      String neigh = neighbourOfVip();
      assertTrue(neigh, neigh.contains(farm.vmac.toString()));
    }
    // n2 still answers its own address (after any advertisement it sent for the VIP)
    fenceNodes(List.of("n1", "n2"));
    assertTrue("n1 answers: " + counters(), advertisedBy("n1") >= n1Before + 10);
    assertEquals("the dead n2 answers nothing: " + counters(), n2Before, advertisedBy("n2"));
  }

  /** Two nodes and a client on IPv6, the buckets split at random between the nodes. */
  private void farm6() throws Exception {
    farm = new FarmLab(1);
    lab6();
    currentSplit = split();
    program6(currentSplit);
  }

  /** IPv6 on the farm: real addresses, the VIP on both nodes, a server, the client's counters. */
  private void lab6() throws Exception {
    vip6 = (Inet6Address) InetAddress.getByName(PREFIX6 + "64");
    int n = 1;
    for (String node : FarmLab.NODES) {
      farm.lab.ip(node, "addr", "add", PREFIX6 + n++ + "/64", "dev", "eth0", "nodad");
      farm.addresses.get(node).add(VirtualAddress.of("eth0", vip6, 64));
      farm.addresses.get(node).setPromiscuous("eth0", true);
      macs.put(
          node, farm.addresses.get(node).find("eth0").orElseThrow().mac().orElseThrow().toString());
      ServerSocketChannel s = LabNet.in(farm.nodes.get(node), ServerSocketChannel::open);
      s.bind(new InetSocketAddress(vip6, ON_ADDR_TCP), 64);
      acceptInto(node, s, ON_ADDR_TCP);
    }
    farm.lab.ip("c0", "addr", "add", PREFIX6 + "1:1/64", "dev", "eth0", "nodad");
    StringBuilder s = new StringBuilder("table netdev " + COUNTERS + " {\n");
    for (String node : FarmLab.NODES) {
      s.append("  counter na_").append(node).append(" {}\n");
    }
    s.append("  counter ns_vip {}\n");
    s.append("  chain in {\n    type filter hook ingress device \"eth0\" priority 0;\n");
    for (String node : FarmLab.NODES) {
      s.append("    ether saddr ")
          .append(macs.get(node))
          .append(' ')
          .append(NftNeighbour.advertisementFor(vip6))
          .append(" counter name na_")
          .append(node)
          .append('\n');
    }
    s.append("    ").append(NftNeighbour.solicitationFrom(vip6)).append(" counter name ns_vip\n");
    s.append("  }\n}\n");
    Path f = Files.createTempFile("bwf-nd", ".nft");
    try {
      Files.writeString(f, s);
      farm.lab.exec("c0", "nft", "-f", f.toString());
    } finally {
      Files.delete(f);
    }
  }

  private FilterTable table6(BucketSet buckets) {
    FilterGroup g =
        new FilterGroup(
            "web_0",
            buckets,
            List.of(
                new FilterRule(
                    "eth0", vip6, OptionalInt.of(ON_ADDR_TCP), Vip.Proto.TCP, Vip.Filter.ON_ADDR)));
    return new FilterTable(
        MODULE, List.of(g), List.of(new VirtualMac("eth0", farm.vmac, List.of(vip6))));
  }

  private void program6(Map<String, BucketSet> split) throws Exception {
    for (String node : FarmLab.NODES) {
      farm.filters.get(node).apply(table6(split.get(node)));
      assertEquals(
          Map.of("web_0", split.get(node)),
          farm.filters.get(node).view(MODULE).orElseThrow().groups());
    }
  }

  /** The client forgets the VIP's MAC and connects: a solicitation, then the connection. */
  private void resolveVip() throws Exception {
    farm.lab.ip("c0", "-6", "neigh", "flush", "dev", "eth0");
    LabNet.connect(farm.clients.get(0), new InetSocketAddress(vip6, ON_ADDR_TCP)).close();
  }

  private String neighbourOfVip() throws IOException {
    return farm.lab.ip("c0", "-6", "neigh", "show", vip6.getHostAddress());
  }

  /**
   * The client pings each node's own address and gets the answer: what the node sent before
   * (advertisements included) is on the client's side by then (one switch, queues keep order).
   */
  private void fenceNodes(List<String> nodes) throws Exception {
    IcmpPinger pinger = new IcmpPinger();
    for (String node : nodes) {
      InetAddress to = InetAddress.getByName(PREFIX6 + (FarmLab.NODES.indexOf(node) + 1));
      Optional<String> failure =
          LabNet.in(farm.clients.get(0), () -> pinger.echo(to, Duration.ofSeconds(5)));
      assertEquals("the client reaches " + node, Optional.empty(), failure);
    }
  }

  private long advertisedBy(String node) throws IOException {
    return counter("na_" + node);
  }

  private long solicitationsFromVip() throws IOException {
    return counter("ns_vip");
  }

  private String counters() throws IOException {
    return farm.lab.exec("c0", "nft", "list", "counters");
  }

  private long counter(String name) throws IOException {
    String out = farm.lab.exec("c0", "nft", "list", "counter", "netdev", COUNTERS, name);
    Matcher m = Pattern.compile("packets (\\d+)").matcher(out);
    assertTrue(out, m.find());
    return Long.parseLong(m.group(1));
  }
}
