package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
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
  static final String MODULE = "vip6mirror";
  static final String PREFIX = "fd00:213::";
  static final String VIP = PREFIX + "64";
  private static final int PORT = 7106;
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
      for (LabNode n : lab.nodes()) {
        Path safe = vipPackage(n.name).writeTo(n.process.home.getParent());
        ok(n.safekit("module", "install", "-m", MODULE, safe.toString()));
        ok(n.safekit("config", "-m", MODULE));
      }
      ok(n1.safekit("prim", "-m", MODULE));
      n1.awaitState(MODULE, "ALONE", STEP);
      ok(n2.safekit("start", "-m", MODULE));
      n2.awaitState(MODULE, "SECOND", STEP);
      n1.awaitState(MODULE, "PRIM", STEP);
      awaitAnswer(lab, n1);
      assertEquals(mac(n1), clientEntry(lab));
      String log = n1.moduleLog(MODULE);
      // (the log names the address as Java writes it: fd00:213:0:0:0:0:0:64)
      String written = java.net.InetAddress.getByName(VIP).getHostAddress();
      assertTrue(log, log.contains("Virtual IP " + written + " set"));
      assertFalse(log, log.contains("neighbour advertisement for virtual IP"));

      // swap, asked on the SECOND: n2 sets the VIP and advertises it; the client has sent nothing
      // to the VIP since
      ok(n2.safekit("swap", "-m", MODULE));
      n2.awaitState(MODULE, "PRIM", STEP);
      String n2mac = mac(n2);
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

  private static SafePackage vipPackage(String node) {
    SafePackage p =
        new SafePackage(
            MODULE,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\">\n"
                + "    <heart pulse=\"100\" timeout=\"2000\">\n"
                + "      <heartbeat name=\"default\" ident=\"0\"/>\n    </heart>\n"
                + "    <vip>\n      <interface_list>\n"
                + "        <interface arpreroute=\"on\" arpinterval=\"1s\" arpelapse=\"60s\">\n"
                + "          <real_interface>\n"
                + "            <virtual_addr addr=\""
                + VIP
                + "\" where=\"one_side_alias\"/>\n"
                + "          </real_interface>\n        </interface>\n"
                + "      </interface_list>\n    </vip>\n"
                + "    <user nicestoptimeout=\"5\" forcestoptimeout=\"5\">\n"
                + "      <var name=\"NODE\" value=\""
                + node
                + "\"/>\n    </user>\n  </service>\n</safe>\n");
    p.script(
        "start_prim",
        "setsid perl -MIO::Socket::IP -e '"
            + "my $s = IO::Socket::IP->new(LocalHost => $ARGV[0], LocalPort => $ARGV[1],"
            + " Listen => 16, ReuseAddr => 1) or die \"cannot listen: $@\";"
            + " while (my $c = $s->accept) { print $c \"$ARGV[2]\\n\"; close $c }' "
            + VIP
            + " "
            + PORT
            + " \"$NODE\" </dev/null >>\"$SAFEUSERVAR/server.log\" 2>&1 &\n"
            + SafePackage.SERVER_PID);
    p.script("stop_prim", SafePackage.STOP_SERVER);
    p.script("prestart", SafePackage.STOP_SERVER);
    return p;
  }

  /** The client connects to the VIP's service until {@code n} answers. */
  private static void awaitAnswer(NetLab lab, LabNode n) throws Exception {
    List<String> seen = new ArrayList<>();
    NodeNamespace.await(
        () -> {
          String who = ask(lab);
          seen.add(who);
          return who.equals(n.name);
        },
        STEP,
        () -> "the VIP's service was not answered by " + n + ": " + seen);
  }

  private static String ask(NetLab lab) {
    try {
      Result r =
          lab.client(
              Duration.ofSeconds(10),
              "timeout",
              "3",
              "bash",
              "-c",
              "exec 3<>/dev/tcp/" + VIP + "/" + PORT + " && head -1 <&3");
      return r.exitCode() == 0 ? r.out().trim() : "exit " + r.exitCode() + " " + r.err().trim();
    } catch (Exception e) {
      return e.toString();
    }
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

  private static String mac(LabNode n) throws Exception {
    String link = must("ip", "-n", n.netns, "-o", "link", "show", "eth0").out();
    Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(link);
    assertTrue(link, m.find());
    return m.group(1);
  }

  private static Result ok(Result r) {
    assertEquals(r.toString(), 0, r.exitCode());
    return r;
  }
}
