package org.bulwark.heartbeat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.heartbeat.HeartbeatChannel;
import org.bulwark.heartbeat.HeartbeatService.Link;
import org.junit.After;
import org.junit.Test;

/** Two modules' endpoints on two loopback addresses exchange real UDP datagrams. */
public class NettyHeartbeatServiceTest {
  private static final String A = "127.0.0.61";
  private static final String B = "127.0.0.62";
  private final NettyHeartbeatService service = new NettyHeartbeatService();

  @After
  public void close() {
    service.deactivate();
  }

  private static int freePort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(A))) {
      return s.getLocalPort();
    }
  }

  private record Got(String ident, HeartbeatMessage message) {}

  @Test
  public void heartbeatsCrossAndGarbageIsCounted() throws Exception {
    int port = freePort();
    InetSocketAddress a = new InetSocketAddress(A, port);
    InetSocketAddress b = new InetSocketAddress(B, port);
    LinkedBlockingQueue<Got> atA = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Got> atB = new LinkedBlockingQueue<>();
    HeartbeatMessage fromA = HeartbeatCodecTest.sample(new Random(1));
    HeartbeatMessage fromB =
        new HeartbeatMessage(
            fromA.module(), "other", 2, 3, fromA.state(), fromA.data(), false, true, false, true);
    try (HeartbeatChannel ca =
            service.open(
                fromA.module(), List.of(new Link("0", a, b)), (i, m) -> atA.add(new Got(i, m)));
        HeartbeatChannel cb =
            service.open(
                fromA.module(), List.of(new Link("0", b, a)), (i, m) -> atB.add(new Got(i, m)))) {
      ca.send(fromA);
      cb.send(fromB);
      assertEquals(new Got("0", fromA), atB.poll(10, TimeUnit.SECONDS));
      assertEquals(new Got("0", fromB), atA.poll(10, TimeUnit.SECONDS));

      // a stray datagram and another module's heartbeat are dropped and counted
      try (DatagramSocket stray = new DatagramSocket(0, InetAddress.getByName(B))) {
        byte[] junk = {1, 2, 3};
        stray.send(new DatagramPacket(junk, junk.length, a));
        byte[] other =
            HeartbeatCodec.encode(
                new HeartbeatMessage(
                    "another",
                    "other",
                    1,
                    1,
                    fromA.state(),
                    fromA.data(),
                    false,
                    false,
                    false,
                    false));
        stray.send(new DatagramPacket(other, other.length, a));
      }
      cb.send(fromB);
      // datagrams from one socket to another on loopback arrive in order per sender, but the
      // stray socket is another sender: wait for the count itself
      assertEquals(new Got("0", fromB), atA.poll(10, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ca.malformed() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(2, ca.malformed());
      assertEquals(2, ca.received());
    }
  }

  @Test
  public void anAddressInUseIsAClearError() throws Exception {
    int port = freePort();
    InetSocketAddress a = new InetSocketAddress(A, port);
    InetSocketAddress b = new InetSocketAddress(B, port);
    try (DatagramSocket taken = new DatagramSocket(a)) {
      try {
        service.open("m", List.of(new Link("0", a, b)), (i, m) -> {}).close();
        throw new AssertionError("bound an address in use");
      } catch (IOException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("module m: cannot bind"));
      }
    }
  }
}
