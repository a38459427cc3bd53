package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The address manager on real interfaces: a node namespace and a peer namespace joined by a veth
 * pair; what the node does is seen from the peer (ping, ARP, TCP resets).
 */
public class AddressManagerTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final int PORT = 7000;

  private NetLab lab;
  private Netns node;
  private Netns peer;
  private NetlinkAddressManager addresses;
  private NetlinkAddressManager peerAddresses;
  private Inet4Address vip;

  @Before
  public void setUp() throws Exception {
    lab = new NetLab();
    lab.add("node");
    lab.add("peer");
    lab.link("node", "eth0", "peer", "eth0");
    lab.ip("node", "addr", "add", "10.77.0.1/24", "dev", "eth0");
    lab.ip("peer", "addr", "add", "10.77.0.2/24", "dev", "eth0");
    node = lab.thread("node");
    peer = lab.thread("peer");
    addresses = new NetlinkAddressManager(node);
    peerAddresses = new NetlinkAddressManager(peer);
    vip = (Inet4Address) InetAddress.getByName("10.77.0.100");
  }

  @After
  public void tearDown() throws IOException {
    if (lab != null) {
      lab.close();
    }
  }

  /** Whether a TCP connection from the peer to {@code a} is answered (a listener is in place). */
  private boolean peerReaches(InetAddress a) throws IOException {
    try (SocketChannel c = LabNet.connect(peer, new InetSocketAddress(a, PORT), null, 500)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private ServerSocketChannel listen() throws IOException {
    ServerSocketChannel server = LabNet.in(node, ServerSocketChannel::open);
    server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), PORT));
    return server;
  }

  @Test
  public void vipAddedAnswersAndIsRemoved() throws Exception {
    VirtualAddress va = VirtualAddress.of("eth0", vip, 24).withAlias("bw");
    ServerSocketChannel server = listen();
    assertFalse("not yet", peerReaches(vip));
    assertTrue(addresses.add(va));
    assertEquals(Optional.of("eth0"), addresses.holder(vip));
    NetInterface eth0 = addresses.find("eth0").orElseThrow();
    NetInterface.Address held =
        eth0.addresses().stream().filter(a -> a.address().equals(vip)).findFirst().orElseThrow();
    assertEquals(Optional.of("eth0:bw"), held.label());
    assertTrue("an alias in the interface's network is secondary", held.secondary());
    Await.until(LIMIT, "the peer connects to the VIP", () -> peerReaches(vip));

    assertFalse("set again: taken as it is", addresses.add(va));
    assertTrue(addresses.remove(va));
    assertEquals(Optional.empty(), addresses.holder(vip));
    assertFalse("removed twice", addresses.remove(va));
    // a leftover with another netmask (an older configuration) is removed all the same
    lab.ip("node", "addr", "add", "10.77.0.100/28", "dev", "eth0");
    assertTrue(addresses.remove(va));
    assertEquals(Optional.empty(), addresses.holder(vip));
    assertFalse("the VIP no longer answers", peerReaches(vip));
    server.close();
  }

  @Test
  public void gratuitousArpIsSeenByThePeerWithTheGivenMac() throws Exception {
    addresses.add(VirtualAddress.of("eth0", vip, 24));
    MacAddress own = addresses.find("eth0").orElseThrow().mac().orElseThrow();
    MacAddress vmac = MacAddress.forVip(vip);
    int peerIndex = peerAddresses.find("eth0").orElseThrow().index();
    for (Optional<MacAddress> announced :
        List.of(Optional.<MacAddress>empty(), Optional.of(vmac))) {
      try (ArpSocket capture = LabNet.openArp(peer, "eth0", peerIndex)) {
        addresses.announce("eth0", vip, announced);
        ArpSocket.Arp seen = LabNet.awaitGratuitous(capture, vip, LIMIT);
        assertEquals(ArpSocket.OP_REQUEST, seen.op());
        assertEquals(announced.orElse(own), seen.senderMac());
        assertEquals(
            "the frame's source is always the interface's own MAC", own, seen.ethernetSource());
      }
    }
    // with arp_accept, the peer's neighbour table takes the announced MAC for the VIP
    lab.sysctl("peer", "net.ipv4.conf.eth0.arp_accept", "1");
    addresses.announce("eth0", vip, Optional.of(vmac));
    Await.until(
        LIMIT,
        "the peer's neighbour table maps the VIP to " + vmac,
        () -> lab.ip("peer", "neigh", "show", vip.getHostAddress()).contains(vmac.toString()));
  }

  @Test
  public void probeTellsWhoHoldsAnAddress() throws Exception {
    MacAddress nodeMac = addresses.find("eth0").orElseThrow().mac().orElseThrow();
    assertEquals(List.of(), peerAddresses.probe("eth0", vip, Duration.ofMillis(300)));
    addresses.add(VirtualAddress.of("eth0", vip, 24));
    assertEquals(List.of(nodeMac), peerAddresses.probe("eth0", vip, Duration.ofSeconds(2)));
  }

  @Test
  public void tcpresetResetsTheConnectionsOfTheVipOnly() throws Exception {
    addresses.add(VirtualAddress.of("eth0", vip, 24));
    InetAddress real = InetAddress.getByName("10.77.0.1");
    try (ServerSocketChannel server = listen()) {
      try (SocketChannel toVip = LabNet.connect(peer, new InetSocketAddress(vip, PORT));
          SocketChannel toReal = LabNet.connect(peer, new InetSocketAddress(real, PORT));
          SocketChannel a1 = server.accept();
          SocketChannel a2 = server.accept()) {
        assertEquals(1, addresses.countConnections(vip));
        assertEquals(1, addresses.resetConnections(vip));
        assertEquals(0, addresses.countConnections(vip));
        Socket s = toVip.socket();
        s.setSoTimeout((int) LIMIT.toMillis());
        try {
          int r = s.getInputStream().read();
          fail("the VIP's connection was not reset (read " + r + ")");
        } catch (IOException expected) {
          assertTrue(expected.toString(), expected.getMessage().contains("reset"));
        }
        toReal.write(ByteBuffer.wrap(new byte[] {42}));
        a1.socket().setSoTimeout((int) LIMIT.toMillis());
        a2.socket().setSoTimeout((int) LIMIT.toMillis());
        SocketChannel realSide = a1.getRemoteAddress().equals(toReal.getLocalAddress()) ? a1 : a2;
        assertEquals(
            "the other connection lives on", 42, realSide.socket().getInputStream().read());
        assertEquals(0, addresses.resetConnections(vip));
      }
    }
  }

  @Test
  public void promiscuousModeIsSetAndCleared() throws Exception {
    addresses.setPromiscuous("eth0", true);
    assertTrue(addresses.find("eth0").orElseThrow().promiscuous());
    addresses.setPromiscuous("eth0", false);
    assertFalse(addresses.find("eth0").orElseThrow().promiscuous());
  }

  @Test
  public void interfaceIsFoundFromTheVipsNetwork() throws Exception {
    assertEquals("eth0", addresses.interfaceFor(vip).orElseThrow().name());
    assertEquals(Optional.empty(), addresses.interfaceFor(InetAddress.getByName("192.0.2.1")));
  }

  @Test
  public void badRequestsAreRefusedWithTheirReason() throws Exception {
    try {
      addresses.add(VirtualAddress.of("nosuch0", vip, 24));
      fail();
    } catch (NetException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("no interface named 'nosuch0'"));
      assertEquals(Libc.ENODEV, e.errno());
    }
    lab.ip("node", "link", "add", "other0", "type", "veth", "peer", "name", "other1");
    lab.ip("node", "addr", "add", "10.77.0.100/32", "dev", "other0");
    try {
      addresses.add(VirtualAddress.of("eth0", vip, 24));
      fail();
    } catch (NetException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("already held by other0"));
    }
    try {
      addresses.add(VirtualAddress.of("eth0", vip, 33).withAlias("x"));
      fail();
    } catch (NetException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("prefix length 33"));
    }
    try {
      addresses.add(new VirtualAddress("eth0", vip, 24, Optional.of("other:1")));
      fail();
    } catch (NetException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("must be 'eth0:"));
    }
    assertNotEquals(Optional.of("eth0"), addresses.holder(vip));
  }

  @Test
  public void ipv6VipIsUsableAtOnceAndItsConnectionsAreReset() throws Exception {
    lab.ip("node", "addr", "add", "fd77::1/64", "dev", "eth0", "nodad");
    lab.ip("peer", "addr", "add", "fd77::2/64", "dev", "eth0", "nodad");
    InetAddress vip6 = InetAddress.getByName("fd77::100");
    VirtualAddress va = VirtualAddress.of("eth0", vip6, 64);
    try (ServerSocketChannel server = LabNet.in(node, ServerSocketChannel::open)) {
      server.bind(new InetSocketAddress(InetAddress.getByName("::"), PORT));
      assertTrue(addresses.add(va));
      assertEquals(Optional.of("eth0"), addresses.holder(vip6));
      // no duplicate address detection: the first connection is answered
      try (SocketChannel c = LabNet.connect(peer, new InetSocketAddress(vip6, PORT));
          SocketChannel a = server.accept()) {
        assertEquals(1, addresses.resetConnections(vip6));
        c.socket().setSoTimeout((int) LIMIT.toMillis());
        try {
          c.socket().getInputStream().read();
          fail("not reset");
        } catch (IOException expected) {
          assertTrue(expected.toString(), expected.getMessage().contains("reset"));
        }
      }
      assertTrue(addresses.remove(va));
      assertEquals(Optional.empty(), addresses.holder(vip6));
    }
  }

  @Test
  public void ipv6VipIsAnnouncedByAnUnsolicitedNeighbourAdvertisement() throws Exception {
    lab.ip("node", "addr", "add", "fd77::1/64", "dev", "eth0", "nodad");
    lab.ip("peer", "addr", "add", "fd77::2/64", "dev", "eth0", "nodad");
    Inet6Address vip6 = (Inet6Address) InetAddress.getByName("fd77::100");
    assertTrue(addresses.add(VirtualAddress.of("eth0", vip6, 64)));
    MacAddress own = addresses.find("eth0").orElseThrow().mac().orElseThrow();
    MacAddress vmac = MacAddress.of(new byte[] {0x5a, (byte) 0xfe, 0, 0, 1, 0});
    // the peer still maps the VIP to the node that held it before (another MAC): the
    // advertisement's Override flag makes it take the new one (RFC 4861 §7.2.5); the kernel
    // checks hop limit 255, the ICMPv6 checksum and the option before it does so
    lab.ip(
        "peer",
        "-6",
        "neigh",
        "replace",
        "fd77::100",
        "lladdr",
        "02:00:00:00:00:99",
        "dev",
        "eth0",
        "nud",
        "stale");
    for (Optional<MacAddress> announced :
        List.of(Optional.<MacAddress>empty(), Optional.of(vmac))) {
      addresses.announce("eth0", vip6, announced);
      MacAddress expected = announced.orElse(own);
      Await.until(
          LIMIT,
          "the peer's neighbour table maps the VIP to " + expected,
          () -> lab.ip("peer", "-6", "neigh", "show", "fd77::100").contains(expected.toString()));
    }
    NetException e =
        assertThrows(NetException.class, () -> addresses.announce("eth9", vip6, Optional.empty()));
    assertTrue(e.getMessage(), e.getMessage().contains("eth9"));
  }

  @Test
  public void oneSideMakesTheVipTheSourceOfOutgoingConnections() throws Exception {
    lab.ip("peer", "addr", "add", "198.51.100.1/32", "dev", "lo");
    lab.ip("node", "route", "add", "default", "via", "10.77.0.2");
    InetAddress own = InetAddress.getByName("10.77.0.1");
    List<InetSocketAddress> targets =
        List.of(
            new InetSocketAddress(InetAddress.getByName("10.77.0.2"), PORT),
            new InetSocketAddress(InetAddress.getByName("198.51.100.1"), PORT));
    try (ServerSocketChannel server = LabNet.in(peer, ServerSocketChannel::open)) {
      server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), PORT));
      assertEquals(List.of(own, own), sources(server, targets));
      VirtualAddress va = VirtualAddress.of("eth0", vip, 24).asOneSide();
      assertTrue(addresses.add(va));
      assertEquals(
          "on the subnet and through the default route",
          List.of(vip, vip),
          sources(server, targets));
      // the node is killed; the next run removes its VIP: routes get their source back, none lost
      NetlinkAddressManager next = new NetlinkAddressManager(node);
      assertTrue(next.remove(VirtualAddress.of("eth0", vip, 24)));
      String routes = lab.ip("node", "route", "show");
      assertTrue(routes, routes.contains("default via 10.77.0.2"));
      assertFalse(routes, routes.contains(vip.getHostAddress()));
      assertEquals(List.of(own, own), sources(server, targets));
    }
  }

  /** The source address the peer sees for a connection from the node to each target. */
  private List<InetAddress> sources(ServerSocketChannel server, List<InetSocketAddress> targets)
      throws IOException {
    List<InetAddress> out = new java.util.ArrayList<>();
    for (InetSocketAddress t : targets) {
      try (SocketChannel c = LabNet.connect(node, t);
          SocketChannel a = server.accept()) {
        out.add(((InetSocketAddress) a.getRemoteAddress()).getAddress());
      }
    }
    return out;
  }
}
