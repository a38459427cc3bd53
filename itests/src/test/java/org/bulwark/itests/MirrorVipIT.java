package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The mirror VIP in the network lab (issue 10 item 2, spec B.6): a client's TCP service on the VIP
 * follows the primary through {@code safekit stop}, {@code swap} and kill -9 of the primary's node
 * process, the {@code ip.<vip>} checker's {@code ip_failure} when the address is removed by hand
 * from the primary, and a crash of the primary's machine (killed, cable pulled); outside failover
 * exactly one node answers ARP for the VIP: arping from the client all along ({@link ArpWatch}:
 * every answer in a steady period must come from the primary's MAC), and at each stable point the
 * addresses of each node's namespace. The service is a tiny server that {@code start_prim} starts
 * on the VIP itself, so it also proves the order of spec E.4: the VIP is set before the application
 * starts. Bad input is refused at {@code config} with file, line and attribute.
 *
 * <p>kill -9 here is what {@link LabNode#kill9} does: every process of the node dies, its kernel
 * (the namespace) lives on and keeps the address, as a node process killed on a live machine would.
 * The survivor takes the VIP over with gratuitous ARP, so clients follow at once, and says that
 * another node still answers; the killed node removes its stale VIP when its node process starts
 * again. Until then both kernels answer ARP: that window is part of the failover of a killed
 * process. A crashed machine answers nothing: the crash (kill -9 and the cable pulled) keeps one
 * answer all along, and the crashed node, started again before its cable is back (a reboot), comes
 * back without the VIP. See docs/vip.md.
 */
public class MirrorVipIT {
  /** The module, its VIP and the service that {@code start_prim} starts on it. */
  static final VipService SERVICE =
      new VipService(
          "vipmirror", LabNetwork.SUBNET + "100", 7100, "arpinterval=\"2s\" arpelapse=\"10s\"");

  static final String MODULE = SERVICE.module();
  static final String VIP = SERVICE.vip();

  /** The fast heartbeat of the test. */
  static final String HEART = "pulse=\"100\" timeout=\"2000\"";

  /** Heartbeat timeout 2 s + pulse + role scripts, with room for a loaded 2-core machine. */
  private static final Duration FAILOVER = Duration.ofSeconds(30);

  private static final Duration STEP = Duration.ofSeconds(90);

  @Test
  public void theVipFollowsThePrimary() throws Exception {
    try (NetLab lab = NetLab.create(2);
        ArpWatch arp = ArpWatch.start(lab.network().client, VIP)) {
      LabNode n1 = lab.node(1);
      LabNode n2 = lab.node(2);
      lab.startAll();
      lab.configureCluster();
      SERVICE.install(lab, HEART);
      // after the module: it has the same id, so the same heartbeat port, on both nodes (G.9)
      badInputRefusedAtConfig(n1);
      ok(n1.safekit("prim", "-m", MODULE));
      n1.awaitState(MODULE, "ALONE", STEP);
      assertServedBy(lab, n1);
      arp.expect(n1.name, n1.mac());
      ok(n2.safekit("start", "-m", MODULE));
      n2.awaitState(MODULE, "SECOND", STEP);
      n1.awaitState(MODULE, "PRIM", STEP);
      assertOnlyHolder(lab, n1);
      String first = n1.moduleLog(MODULE);
      assertTrue(first, first.contains("Virtual IP " + VIP + " set"));
      assertTrue(first, first.contains("Resource ip." + VIP + " set to up by ipcheck"));
      String verbose = ok(n1.safekit("state", "-v", "-m", MODULE)).out();
      assertTrue(verbose, verbose.contains("virtual IP " + VIP + " on eth0"));
      assertTrue(verbose, verbose.matches("(?s).*ip\\." + Pattern.quote(VIP) + " +up.*"));
      assertFalse(ok(n2.safekit("state", "-v", "-m", MODULE)).out().contains("virtual IP " + VIP));

      // stop of the primary: the secondary takes the VIP over
      arp.failover();
      ok(n1.safekit("stop", "-m", MODULE));
      n2.awaitState(MODULE, "ALONE", FAILOVER);
      assertServedBy(lab, n2);
      assertOnlyHolder(lab, n2);
      arp.expect(n2.name, n2.mac());
      String stopped = n1.moduleLog(MODULE);
      assertTrue(stopped, stopped.contains("Virtual IP " + VIP + " removed"));
      assertTrue(stopped, stopped.contains("TCP connections of virtual IP " + VIP));
      ok(n1.safekit("start", "-m", MODULE));
      n1.awaitState(MODULE, "SECOND", STEP);
      n2.awaitState(MODULE, "PRIM", STEP);
      assertOnlyHolder(lab, n2);

      // swap, asked on the SECOND: the VIP goes with the primary role
      arp.failover();
      ok(n1.safekit("swap", "-m", MODULE));
      n1.awaitState(MODULE, "PRIM", STEP);
      n2.awaitState(MODULE, "SECOND", STEP);
      assertServedBy(lab, n1);
      assertOnlyHolder(lab, n1);
      arp.expect(n1.name, n1.mac());

      arp.failover();
      killNineOfThePrimary(lab, n1, n2);
      arp.expect(n2.name, n2.mac());
      assertServedBy(lab, n2);

      // the VIP removed by hand from the primary: ip.<vip> down, ip_failure, the peer takes over
      arp.failover();
      must("ip", "-n", n2.netns, "addr", "del", VIP + "/24", "dev", "eth0");
      n1.awaitState(MODULE, "ALONE", FAILOVER);
      assertServedBy(lab, n1);
      n2.awaitState(MODULE, "SECOND", STEP);
      n1.awaitState(MODULE, "PRIM", STEP);
      assertOnlyHolder(lab, n1);
      arp.expect(n1.name, n1.mac());
      String log = n2.moduleLog(MODULE);
      assertTrue(log, log.contains("Virtual IP " + VIP + " is no longer on eth0"));
      assertTrue(log, log.contains("Resource ip." + VIP + " set to down by ipcheck"));
      assertTrue(log, log.contains("Action stopstart from failover rule ip_failure"));

      arp.failover();
      crashOfThePrimary(lab, arp, n1, n2);
      assertServedBy(lab, n2);

      // outside failover, exactly one node answered every ARP request for the VIP
      List<String> violations = arp.violations();
      assertEquals(violations.toString(), List.of(), violations);
      // five requests a second over the steady periods (about 10 s in all)
      assertTrue("answers watched: " + arp.checkedAnswers(), arp.checkedAnswers() >= 20);
    }
  }

  /**
   * kill -9 of n1, the primary: n2 takes over and the client follows; n1's kernel keeps the address
   * until n1's node process starts again and removes it (the record of what the module set).
   */
  private static void killNineOfThePrimary(NetLab lab, LabNode n1, LabNode n2) throws Exception {
    n1.kill9();
    assertTrue("a killed process leaves its VIP to the kernel", n1.holds(VIP));
    n2.awaitState(MODULE, "ALONE", FAILOVER);
    assertServedBy(lab, n2);
    assertTrue(n2.moduleLog(MODULE).contains("Virtual IP " + VIP + " set"));
    // its probe (half a second after the set) finds n1's kernel still answering
    String conflict = "Virtual IP " + VIP + " is also answered by [" + n1.mac() + "]";
    NodeNamespace.await(
        () -> n2.moduleLog(MODULE).contains(conflict),
        STEP,
        () -> "no '" + conflict + "' in\n" + n2.moduleLog(MODULE));
    assertEquals(Set.of(n1.mac(), n2.mac()), arpAnswers(lab));

    ok(n1.start());
    NodeNamespace.await(() -> !n1.holds(VIP), STEP, () -> n1 + " kept its stale VIP");
    String stale = "Virtual IP " + VIP + " removed from eth0: left set by a previous run";
    NodeNamespace.await(
        () -> n1.moduleLog(MODULE).contains(stale),
        STEP,
        () -> "no '" + stale + "' in\n" + n1.moduleLog(MODULE));
    assertOnlyHolder(lab, n2);
    ok(n1.safekit("start", "-m", MODULE));
    n1.awaitState(MODULE, "SECOND", STEP);
    n2.awaitState(MODULE, "PRIM", STEP);
    assertServedBy(lab, n2);
    assertOnlyHolder(lab, n2);
  }

  /**
   * A crash of n1, the primary, as a machine's: its processes killed and its cable pulled, so that
   * it answers nothing, not even ARP. n2 takes over and is from then on the only one answering; n1
   * comes back as a rebooted machine does, without the VIP: its node process, started while its
   * cable is still out, removes the address its kernel kept before n1 is on the network again.
   */
  private static void crashOfThePrimary(NetLab lab, ArpWatch arp, LabNode n1, LabNode n2)
      throws Exception {
    n1.kill9();
    lab.pullCable(n1);
    n2.awaitState(MODULE, "ALONE", FAILOVER);
    assertServedBy(lab, n2);
    // from the takeover on, through n1's return, only n2 answers
    arp.expect(n2.name, n2.mac());
    assertEquals(Set.of(n2.mac()), arpAnswers(lab));
    ok(n1.start());
    NodeNamespace.await(() -> !n1.holds(VIP), STEP, () -> n1 + " kept its stale VIP");
    lab.plugCable(n1);
    assertOnlyHolder(lab, n2);
    ok(n1.safekit("start", "-m", MODULE));
    n1.awaitState(MODULE, "SECOND", STEP);
    n2.awaitState(MODULE, "PRIM", STEP);
  }

  /**
   * An interface this node lacks and an address it holds already: both refused at {@code config}
   * with file, line and attribute, and nothing applied.
   */
  private static void badInputRefusedAtConfig(LabNode n1) throws Exception {
    String bad = "vipbad";
    SafePackage p =
        new SafePackage(
            bad,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\">\n"
                + "    <heart><heartbeat name=\"default\"/></heart>\n"
                + "    <vip>\n      <interface_list>\n"
                + "        <interface name=\"eth7\">\n"
                + "          <real_interface><virtual_addr addr=\""
                + VIP
                + "\"/></real_interface>\n"
                + "        </interface>\n"
                + "        <interface>\n"
                + "          <real_interface><virtual_addr addr=\""
                + n1.address
                + "\"/></real_interface>\n"
                + "        </interface>\n"
                + "      </interface_list>\n    </vip>\n  </service>\n</safe>\n");
    ok(n1.safekit("module", "install", "-m", bad, p.writeTo(n1.work()).toString()));
    Result r = n1.safekit("config", "-m", bad);
    assertEquals(r.toString(), 1, r.exitCode());
    String err = r.err();
    assertTrue(
        err,
        err.contains(
            "userconfig.xml:7:20: /safe/service/vip/interface_list/interface[1]/@name: no interface"
                + " named 'eth7' on this node; its interfaces: "));
    assertTrue(
        err,
        err.contains(
            "userconfig.xml:11:41:"
                + " /safe/service/vip/interface_list/interface[2]/real_interface/virtual_addr/@addr: "
                + n1.address
                + " is already used on this node (eth0) by something else than module vipbad"));
    assertTrue(err, err.contains("2 errors: configuration not valid"));
    assertFalse(err, err.contains("Exception"));
    // nothing applied: the module is installed, not configured
    Result state = n1.safekit("state", "-m", bad);
    assertTrue(state.toString(), state.err().contains("is not installed or not configured"));
    ok(n1.safekit("module", "uninstall", "-m", bad));
  }

  /** The client reaches the service on the VIP and the primary {@code n} answers, soon. */
  private static void assertServedBy(NetLab lab, LabNode n) throws Exception {
    SERVICE.awaitServedBy(lab, n, FAILOVER);
  }

  /**
   * Exactly {@code n} holds the VIP (each node's namespace) and answers ARP for it (arping from the
   * client).
   */
  private static void assertOnlyHolder(NetLab lab, LabNode n) throws Exception {
    for (LabNode other : lab.nodes()) {
      assertEquals(other + " holds " + VIP, other == n, other.holds(VIP));
    }
    assertEquals(Set.of(n.mac()), arpAnswers(lab));
  }

  /** The hardware addresses that answer ARP requests for the VIP on the lab's switch. */
  private static Set<String> arpAnswers(NetLab lab) throws Exception {
    Result r =
        lab.client(Duration.ofSeconds(20), "arping", "-i", "eth0", "-c", "3", "-w", "5", VIP);
    Set<String> macs = new TreeSet<>();
    Matcher m =
        Pattern.compile("bytes from ([0-9a-f:]{17}) \\(" + Pattern.quote(VIP) + "\\)")
            .matcher(r.out());
    while (m.find()) {
      macs.add(m.group(1));
    }
    return macs;
  }
}
