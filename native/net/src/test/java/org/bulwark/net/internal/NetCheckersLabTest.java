package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.checker.intf.internal.IntfChecker;
import org.bulwark.checker.ip.internal.IpChecker;
import org.bulwark.checker.testing.Userconfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The intf and ip checkers (spec B.14, B.15) against this driver in two namespaces of the test's
 * own joined by a veth pair: a link set down on either side, an address on an interface of its own
 * removed, an address held by the peer too.
 */
public class NetCheckersLabTest {
  private static final Duration T = Duration.ofSeconds(2);

  private NetLab lab;
  private NetlinkAddressManager node;

  @Before
  public void setUp() throws Exception {
    lab = NetLab.nodeAndPeer("10.81.0");
    node = new NetlinkAddressManager(lab.thread("node"));
  }

  @After
  public void tearDown() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private static ProbeResult probe(Watch w) {
    return w.probe().probe(T);
  }

  /**
   * The probe's answer once it is {@code expected}: the kernel applies a carrier change a moment
   * later (linkwatch), so the first answers may still be the old one; fails after a deadline.
   */
  private static void await(Watch w, ProbeResult expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    ProbeResult r = probe(w);
    while (!r.equals(expected)) {
      assertTrue("still " + r + ", not " + expected, System.nanoTime() < deadline);
      Thread.onSpinWait();
      r = probe(w);
    }
  }

  @Test
  public void intfFollowsTheLinkAndTheCarrier() throws Exception {
    Watch w = new IntfChecker(node).watch("lan", "10.81.0.1");
    assertEquals("intf.lan", w.resource());
    assertEquals(ProbeResult.up("interface eth0 up with a carrier"), probe(w));
    lab.ip("peer", "link", "set", "eth0", "down"); // the cable: this side loses its carrier
    await(w, ProbeResult.down("interface eth0 has no carrier (link down)"));
    lab.ip("peer", "link", "set", "eth0", "up");
    lab.ip("node", "link", "set", "eth0", "down");
    await(w, ProbeResult.down("interface eth0 is down"));
    lab.ip("node", "link", "set", "eth0", "up");
    await(w, ProbeResult.up("interface eth0 up with a carrier"));
    lab.ip("node", "addr", "del", "10.81.0.1/24", "dev", "eth0");
    assertEquals(ProbeResult.down("10.81.0.1 is on no interface of this node"), probe(w));
  }

  @Test
  public void interfaceCheckOnMakesAnIntfWatchOfTheVipsNetwork() {
    List<Watch> watches =
        new IntfChecker(node)
            .checks(
                Userconfigs.context(
                    "<vip><interface_list><interface check=\"on\"><real_interface>"
                        + "<virtual_addr addr=\"10.81.0.100\"/></real_interface></interface>"
                        + "<interface check=\"off\"><real_interface>"
                        + "<virtual_addr addr=\"10.81.0.101\"/></real_interface></interface>"
                        + "</interface_list></vip>",
                    Path.of("bin")));
    assertEquals(1, watches.size());
    assertEquals("intf.10.81.0.0", watches.get(0).resource());
    assertEquals("pre", watches.get(0).phase());
    assertTrue(probe(watches.get(0)).up());
  }

  @Test
  public void ipSeesAnAddressRemovedAndAnAddressHeldTwice() throws Exception {
    // this kernel has no dummy interfaces: a veth pair inside the node's namespace stands in
    lab.ip("node", "link", "add", "dummy0", "type", "veth", "peer", "name", "dummy1");
    lab.ip("node", "link", "set", "dummy0", "up");
    lab.ip("node", "addr", "add", "10.82.0.5/24", "dev", "dummy0");
    IpChecker checker = new IpChecker(node);
    Watch dummy =
        checker
            .checks(
                Userconfigs.context(
                    "<check><ip ident=\"d\" when=\"prim\"><to addr=\"10.82.0.5\"/></ip></check>",
                    Path.of("bin")))
            .get(0);
    assertEquals("ip.d", dummy.resource());
    assertEquals(ProbeResult.up("10.82.0.5 on dummy0"), probe(dummy));
    lab.ip("node", "addr", "del", "10.82.0.5/24", "dev", "dummy0");
    assertEquals(ProbeResult.down("10.82.0.5 is not on any interface of this node"), probe(dummy));

    lab.ip("node", "addr", "add", "10.81.0.60/24", "dev", "eth0");
    Watch shared =
        checker
            .checks(
                Userconfigs.context(
                    "<check><ip ident=\"s\"><to addr=\"10.81.0.60\"/></ip></check>",
                    Path.of("bin")))
            .get(0);
    assertTrue(probe(shared).up());
    lab.ip("peer", "addr", "add", "10.81.0.60/24", "dev", "eth0");
    ProbeResult twice = probe(shared);
    assertFalse(twice.up());
    assertTrue(twice.detail(), twice.detail().startsWith("10.81.0.60 is also held by ["));
  }
}
