package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.BucketHash;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.VirtualAddress;
import org.junit.Test;

/**
 * The farm filter in {@code vmac_directed} mode with real packets (spec D.3): an {@code arp} rule
 * lets only the owner answer a client; forwarding passes each packet to its owner; IPv6.
 */
public class DirectedFilterTest extends FarmTestBase {
  @Test
  public void arpRuleSendsEachClientToTheOwnerOfItsAddress() throws Exception {
    // vmac_directed: each node answers ARP with its own MAC; an arp rule lets only the owner of
    // the requester's bucket answer, so each client's traffic goes to that node alone
    int clients = 12;
    farm = new FarmLab(clients);
    farm.holdVip(false);
    farm.serveTcp(ON_ADDR_TCP);
    currentSplit = split();
    for (String node : FarmLab.NODES) {
      FilterGroup g =
          new FilterGroup(
              "web_0",
              currentSplit.get(node),
              List.of(
                  new FilterRule(
                      "eth0", farm.vip, OptionalInt.empty(), Vip.Proto.ARP, Vip.Filter.ON_ADDR),
                  rule(ON_ADDR_TCP, Vip.Proto.TCP, Vip.Filter.ON_ADDR, farm.vip)));
      farm.filters.get(node).apply(new FilterTable(MODULE, List.of(g), List.of()));
    }
    Map<String, String> macs = new HashMap<>();
    for (String node : FarmLab.NODES) {
      macs.put(
          node, farm.addresses.get(node).find("eth0").orElseThrow().mac().orElseThrow().toString());
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (int c = 0; c < clients; c++) {
      Inet4Address a = farm.clientAddresses.get(c);
      String node = owner(currentSplit, BucketHash.ofAddress(a));
      try (SocketChannel ch =
          LabNet.connect(farm.clients.get(c), new InetSocketAddress(farm.vip, ON_ADDR_TCP))) {
        expected.put(
            FarmLab.tcpKey(ON_ADDR_TCP, a, ((InetSocketAddress) ch.getLocalAddress()).getPort()),
            node);
      }
      String neigh = farm.lab.ip("c" + c, "neigh", "show", farm.vip.getHostAddress());
      assertTrue(
          "client " + a + " resolved the VIP to " + node + ": " + neigh + " (seed " + seed + ")",
          neigh.contains(macs.get(node)));
    }
    Await.until(
        LIMIT,
        "every connection is accepted",
        () -> expected.keySet().stream().allMatch(k -> !farm.seenBy(k).isEmpty()));
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(
          e.getKey() + " (seed " + seed + ")", List.of(e.getValue()), farm.seenBy(e.getKey()));
    }
  }

  @Test
  public void directedModeForwardsEachPacketToTheOwnerOfItsBucket() throws Exception {
    // vmac_directed: the client sends everything to the one node whose MAC it has; that node
    // keeps its buckets and forwards the others' packets to their owner
    farm = new FarmLab(1);
    farm.holdVip(false);
    farm.serveTcp(ON_PORT_TCP);
    farm.serveUdp(ON_IPID_UDP);
    currentSplit = split();
    Map<String, InetAddress> real =
        Map.of("n1", InetAddress.getByName("10.88.0.1"), "n2", InetAddress.getByName("10.88.0.2"));
    for (String node : FarmLab.NODES) {
      String other = node.equals("n1") ? "n2" : "n1";
      FilterGroup g =
          new FilterGroup(
              "web_0",
              currentSplit.get(node),
              List.of(
                  rule(ON_PORT_TCP, Vip.Proto.TCP, Vip.Filter.ON_PORT, farm.vip),
                  rule(ON_IPID_UDP, Vip.Proto.UDP, Vip.Filter.ON_IPID, farm.vip)),
              List.of(new FilterGroup.Forward(real.get(other), currentSplit.get(other))));
      farm.filters.get(node).apply(new FilterTable(MODULE, List.of(g), List.of()));
      BucketView view = farm.filters.get(node).view(MODULE).orElseThrow();
      assertEquals(currentSplit.get(node), view.groups().get("web_0"));
      assertEquals(g.forwards(), view.forwards().get("web_0"));
      System.out.print(node + ":\n" + view.render());
    }
    int seq = 0;
    for (String entry : FarmLab.NODES) {
      String mac =
          farm.addresses.get(entry).find("eth0").orElseThrow().mac().orElseThrow().toString();
      farm.lab.ip(
          "c0",
          "neigh",
          "replace",
          farm.vip.getHostAddress(),
          "lladdr",
          mac,
          "dev",
          "eth0",
          "nud",
          "permanent");
      farm.seen.clear();
      Map<String, String> expected = new LinkedHashMap<>();
      expected.putAll(connect(ON_PORT_TCP, List.of(farm.clientAddresses.get(0)), 150, true, null));
      expected.putAll(datagrams(ON_IPID_UDP, 300, seq, i -> 1 + random.nextInt(65535), false));
      seq += 300;
      expect(expected);
      long forwarded = expected.values().stream().filter(n -> !n.equals(entry)).count();
      System.out.println(
          "through " + entry + ": " + forwarded + " of " + expected.size() + " forwarded");
      assertTrue("some packets were forwarded", forwarded > 0);
    }
  }

  @Test
  public void ipv6ClientsReachTheOwnerOfTheirBucketThroughForwarding() throws Exception {
    // a 16-byte key takes jhash's 12-byte block path (the CPU's byte order): real IPv6 packets
    // prove the Java hash there too; vmac_directed forwarding over IPv6 (fwd ip6)
    farm = new FarmLab(1);
    InetAddress vip6 = InetAddress.getByName("fd88::64");
    Map<String, InetAddress> real =
        Map.of("n1", InetAddress.getByName("fd88::1"), "n2", InetAddress.getByName("fd88::2"));
    for (String node : FarmLab.NODES) {
      farm.lab.ip(
          node, "addr", "add", real.get(node).getHostAddress() + "/64", "dev", "eth0", "nodad");
      farm.addresses.get(node).add(VirtualAddress.of("eth0", vip6, 64));
    }
    List<InetAddress> clients = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String a = "fd88::1:" + Integer.toHexString(1 + i);
      farm.lab.ip("c0", "addr", "add", a + "/64", "dev", "eth0", "nodad");
      clients.add(InetAddress.getByName(a));
    }
    currentSplit = split();
    for (String node : FarmLab.NODES) {
      String other = node.equals("n1") ? "n2" : "n1";
      FilterGroup g =
          new FilterGroup(
              "web_0",
              currentSplit.get(node),
              List.of(
                  new FilterRule(
                      "eth0", vip6, OptionalInt.of(ON_ADDR_TCP), Vip.Proto.TCP, Vip.Filter.ON_ADDR),
                  new FilterRule(
                      "eth0",
                      vip6,
                      OptionalInt.of(ON_PORT_TCP),
                      Vip.Proto.TCP,
                      Vip.Filter.ON_PORT)),
              List.of(new FilterGroup.Forward(real.get(other), currentSplit.get(other))));
      farm.filters.get(node).apply(new FilterTable(MODULE, List.of(g), List.of()));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (String node : FarmLab.NODES) {
      ServerSocketChannel s80 = LabNet.in(farm.nodes.get(node), ServerSocketChannel::open);
      ServerSocketChannel s81 = LabNet.in(farm.nodes.get(node), ServerSocketChannel::open);
      s80.bind(new InetSocketAddress(vip6, ON_ADDR_TCP), 1024);
      s81.bind(new InetSocketAddress(vip6, ON_PORT_TCP), 1024);
      acceptInto(node, s80, ON_ADDR_TCP);
      acceptInto(node, s81, ON_PORT_TCP);
    }
    for (InetAddress c : clients) {
      for (int port : new int[] {ON_ADDR_TCP, ON_PORT_TCP}) {
        try (SocketChannel ch =
            LabNet.connect(farm.clients.get(0), new InetSocketAddress(vip6, port), c)) {
          int local = ((InetSocketAddress) ch.getLocalAddress()).getPort();
          int bucket = port == ON_ADDR_TCP ? BucketHash.ofAddress(c) : BucketHash.ofPort(local);
          expected.put(FarmLab.tcpKey(port, c, local), owner(currentSplit, bucket));
        }
      }
    }
    Await.until(
        LIMIT,
        "every IPv6 connection is accepted (seed " + seed + ")",
        () -> expected.keySet().stream().allMatch(k -> !farm.seenBy(k).isEmpty()));
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(
          e.getKey() + " (seed " + seed + ")", List.of(e.getValue()), farm.seenBy(e.getKey()));
    }
    long toN1 = expected.values().stream().filter("n1"::equals).count();
    assertTrue("both nodes took a share", toN1 > 0 && toN1 < expected.size());
  }
}
