package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.net.AddressText;
import org.junit.Test;

/**
 * An IPv6 mirror VIP in the network lab (spec B.6; docs/vip.md "IPv6: unsolicited neighbour
 * advertisement"): the VIP is added without duplicate address detection, so the kernel announces
 * nothing; the node that sets it sends an unsolicited neighbour advertisement at once and per
 * {@code arpinterval} during {@code arpelapse}. The client, which talked to the VIP on n1 and so
 * maps it to n1's MAC, maps it to n2's MAC right after a swap — before it sends anything — and a
 * bogus entry put back by hand is corrected by the next advertisement.
 *
 * <p>The lab's address plan gets its IPv6 half here: {@code fd00:213::K/64} on node K's eth0 and
 * {@code fd00:213::c8} on the client (docs/lab.md), in the lab's namespaces only, without DAD.
 */
public class MirrorVip6IT {
  static final String PREFIX = "fd00:213::";

  /** The module, its VIP and the service on it: an advertisement a second for a minute. */
  static final VipService SERVICE =
      new VipService("vip6mirror", PREFIX + "64", 7106, "arpinterval=\"1s\" arpelapse=\"60s\"");

  static final String MODULE = SERVICE.module();
  static final String VIP = SERVICE.vip();

  private static final Duration STEP = Duration.ofSeconds(90);

  /** One arpinterval (1 s) and room for a loaded 2-core machine. */
  private static final Duration ANNOUNCED = Duration.ofSeconds(10);

  @Test
  public void neighbourAdvertisementsMoveTheClientToTheNewPrimary() throws Exception {
    try (NetLab lab = NetLab.create(2)) {
      LabNode n1 = lab.node(1);
      LabNode n2 = lab.node(2);
      for (LabNode n : lab.nodes()) {
        must(
            "ip",
            "-n",
            n.netns,
            "addr",
            "add",
            PREFIX + n.name.substring(1) + "/64",
            "dev",
            "eth0",
            "nodad");
      }
      must(
          "ip",
          "-n",
          lab.network().client,
          "addr",
          "add",
          PREFIX + "c8/64",
          "dev",
          "eth0",
          "nodad");
      lab.startAll();
      lab.configureCluster();
      SERVICE.install(lab, MirrorVipIT.HEART);
      n1.primWithSecond(n2, MODULE, STEP);
      awaitAnswer(lab, n1);
      assertEquals(n1.mac(), clientEntry(lab));
      String log = n1.moduleLog(MODULE);
      // (the log names the address in RFC 5952's form: fd00:213::64)
      String written = AddressText.of(java.net.InetAddress.getByName(VIP));
      assertTrue(log, log.contains("Virtual IP " + written + " set"));
      assertFalse(log, log.contains("neighbour advertisement for virtual IP"));

      // swap, asked on the SECOND: n2 sets the VIP and advertises it; the client has sent nothing
      // to the VIP since
      ok(n2.safekit("swap", "-m", MODULE));
      n2.awaitState(MODULE, "PRIM", STEP);
      String n2mac = n2.mac();
      List<String> seen = new ArrayList<>();
      NodeNamespace.await(
          () -> {
            String e = clientEntry(lab);
            seen.add(e);
            return e.equals(n2mac);
          },
          ANNOUNCED,
          () -> "the client's entry for " + VIP + " never became n2's MAC " + n2mac + ": " + seen);
      awaitAnswer(lab, n2);

      // arpreroute: the next advertisement corrects an entry set wrong by hand
      must(
          "ip",
          "-n",
          lab.network().client,
          "-6",
          "neigh",
          "replace",
          VIP,
          "lladdr",
          "02:00:00:00:00:99",
          "dev",
          "eth0",
          "nud",
          "stale");
      NodeNamespace.await(
          () -> clientEntry(lab).equals(n2mac),
          ANNOUNCED,
          () -> "no later advertisement: the client's entry is " + clientEntry(lab));
    }
  }

  /** The client connects to the VIP's service until {@code n} answers. */
  private static void awaitAnswer(NetLab lab, LabNode n) throws Exception {
    SERVICE.awaitServedBy(lab, n, STEP);
  }

  /** The MAC of the client's neighbour entry for the VIP, or what it shows instead. */
  private static String clientEntry(NetLab lab) {
    try {
      String out = must("ip", "-n", lab.network().client, "-6", "neigh", "show", VIP).out();
      Matcher m = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(out);
      return m.find() ? m.group(1) : out.trim();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
