package org.bulwark.itests;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.itests.NodeProcess.Result;

/**
 * The mirror module of the lab's VIP tests and the client's view of it: {@code <vip>} with one
 * address on the lab's eth0 (arpreroute, {@code arp} giving {@code arpinterval} and {@code
 * arpelapse}), and {@code start_prim} starting on the VIP itself a server that answers each
 * connection with the node's name ({@code stop_prim} and {@code prestart} stop it). It binds the
 * VIP, so it fails unless the VIP is set before {@code start_prim} (spec E.4).
 *
 * @param module the module's name
 * @param vip the virtual address, IPv4 or IPv6
 * @param port the server's port on the VIP
 * @param arp the {@code <interface>} attributes besides {@code arpreroute}
 */
record VipService(String module, String vip, int port, String arp) {

  /** The package for node {@code node} with the {@code <heart>} attributes given. */
  SafePackage pack(String node, String heart) {
    SafePackage p =
        new SafePackage(
            module,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\">\n"
                + "    <heart "
                + heart
                + ">\n"
                + "      <heartbeat name=\"default\" ident=\"0\"/>\n    </heart>\n"
                + "    <vip>\n      <interface_list>\n"
                + "        <interface arpreroute=\"on\" "
                + arp
                + ">\n"
                + "          <real_interface>\n"
                + "            <virtual_addr addr=\""
                + vip
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
            + vip
            + " "
            + port
            + " \"$NODE\" </dev/null >>\"$SAFEUSERVAR/server.log\" 2>&1 &\n"
            + SafePackage.SERVER_PID);
    p.script("stop_prim", SafePackage.STOP_SERVER);
    p.script("prestart", SafePackage.STOP_SERVER);
    return p;
  }

  /** Installs and configures the module on every node of the lab, with {@code heart}. */
  void install(NetLab lab, String heart) throws IOException, InterruptedException {
    for (LabNode n : lab.nodes()) {
      n.install(module, pack(n.name, heart));
    }
  }

  /**
   * One connection from the client to the service, given up after {@code seconds}: who answered.
   */
  String ask(NetLab lab, String seconds) {
    try {
      Result r =
          lab.client(
              Duration.ofSeconds(10),
              "timeout",
              seconds,
              "bash",
              "-c",
              "exec 3<>/dev/tcp/" + vip + "/" + port + " && head -1 <&3");
      return r.exitCode() == 0 ? r.out().trim() : "exit " + r.exitCode() + " " + r.err().trim();
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  /** Waits until node {@code n} answers on the VIP, at most {@code deadline}. */
  void awaitServedBy(NetLab lab, LabNode n, Duration deadline) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    NodeNamespace.await(
        () -> {
          String who = ask(lab, "3");
          seen.add(who);
          return who.equals(n.name);
        },
        deadline,
        () ->
            "the VIP's service was not answered by "
                + n
                + "; last answers: "
                + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
  }
}
