package org.bulwark.checker.tcp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.checker.testing.Userconfigs;
import org.junit.Test;

/** {@code <tcp>} against a real TCP server on loopback, closed and opened again. */
public class TcpCheckerTest {

  private static CheckerContext context(int port) {
    return Userconfigs.context(
        "<check><tcp ident=\"db\" when=\"prim\"><to addr=\"127.0.0.1\" port=\""
            + port
            + "\" interval=\"2\" timeout=\"1\"/></tcp></check>",
        Path.of("bin"));
  }

  @Test
  public void theResourceFollowsTheServer() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(loopback, 0));
    int port = server.getLocalPort();
    try {
      List<Watch> watches = new TcpChecker().checks(context(port));
      assertEquals(1, watches.size());
      Watch w = watches.get(0);
      assertEquals("tcp.db", w.resource());
      assertEquals("tcpcheck", w.by());
      assertEquals("prim", w.phase());
      assertEquals(Duration.ofSeconds(2), w.interval());
      assertEquals(Duration.ofSeconds(1), w.timeout());
      assertFalse(w.errd());

      ProbeResult up = w.probe().probe(w.timeout());
      assertTrue(up.detail(), up.up());

      server.close();
      ProbeResult down = w.probe().probe(w.timeout());
      assertFalse(down.detail(), down.up());
      assertTrue(down.detail(), down.detail().startsWith("127.0.0.1:" + port));

      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(loopback, port));
      assertTrue(w.probe().probe(w.timeout()).up());
    } finally {
      server.close();
    }
  }

  @Test
  public void anAddressThatDoesNotResolveIsDown() {
    ProbeResult r = TcpChecker.connect("no-such-host.invalid", 80, Duration.ofSeconds(1));
    assertEquals(ProbeResult.down("no-such-host.invalid does not resolve"), r);
  }
}
