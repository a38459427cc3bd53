package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Real ICMP echoes between two namespaces of the test's own: answered, then not once the peer's
 * link is down or its address gone (the ping checker, spec B.13).
 */
public class IcmpPingerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private NetLab lab;
  private Netns node;
  private final IcmpPinger pinger = new IcmpPinger();

  @Before
  public void setUp() throws Exception {
    lab = NetLab.nodeAndPeer("10.78.0");
    lab.ip("node", "addr", "add", "fd78::1/64", "dev", "eth0", "nodad");
    lab.ip("peer", "addr", "add", "fd78::2/64", "dev", "eth0", "nodad");
    node = lab.thread("node");
  }

  @After
  public void tearDown() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private Optional<String> echo(String address) throws Exception {
    InetAddress to = InetAddress.getByName(address);
    return node.call(() -> pinger.echo(to, TIMEOUT));
  }

  @Test
  public void thePeerAnswersUntilItsLinkGoesDown() throws Exception {
    assertEquals(Optional.empty(), echo("10.78.0.2"));
    assertEquals(Optional.empty(), echo("fd78::2"));
    assertEquals(Optional.empty(), echo("127.0.0.1"));
    lab.ip("peer", "link", "set", "eth0", "down");
    Optional<String> silent = echo("10.78.0.2");
    assertTrue(silent.toString(), silent.isPresent());
    assertEquals(Optional.of("no reply within 500 ms"), silent);
    assertTrue(echo("fd78::2").isPresent());
  }

  @Test
  public void anAddressThatLeftIsNotAnswered() throws Exception {
    lab.ip("peer", "addr", "del", "10.78.0.2/24", "dev", "eth0");
    assertTrue(echo("10.78.0.2").isPresent());
    Optional<String> unreachable = echo("10.79.0.9"); // no route in the node's namespace
    assertEquals(Optional.of("Network is unreachable"), unreachable);
  }

  @Test
  public void theChecksumOfAnEchoRequest() {
    byte[] request = IcmpPinger.request(true, 0x1234, 1);
    assertEquals(0, IcmpPinger.checksum(request)); // a packet with its checksum sums to zero
    // the reply as an IPv4 raw socket reads it: a 20-byte IP header, then the echo reply
    byte[] packet = new byte[20 + request.length];
    packet[0] = 0x45;
    System.arraycopy(request, 0, packet, 20, request.length);
    packet[20] = 0; // echo reply
    assertTrue(IcmpPinger.isReply(true, packet, packet.length, 0x1234, 1));
    assertFalse(IcmpPinger.isReply(true, packet, packet.length, 0x1234, 2)); // another sequence
    assertFalse(IcmpPinger.isReply(true, packet, 20 + 7, 0x1234, 1)); // truncated
    packet[20] = 8; // our own request, looped back
    assertFalse(IcmpPinger.isReply(true, packet, packet.length, 0x1234, 1));
  }
}
