package org.bulwark.itests;

import static org.bulwark.itests.GuideCheckerIT.inOrder;
import static org.bulwark.itests.LabRun.must;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.Test;

/**
 * The user guide's checker tests that need two nodes or a real link (section 4.4), in the network
 * lab: a ping checker whose target disappears makes both nodes of a mirror wait and both wake up
 * when it is back (4.4.5); errd's stopstart of the primary fails the mirror over to the peer
 * (4.4.1), and so does a tcp checker's on the new primary, back (4.4.2); the cable of a node pulled
 * makes its module wait by {@code interface_failure} (4.4.4).
 */
public class GuideCheckerLabIT {
  private static final String MODULE = "gmirror";

  /** The ping checker's target: an extra address of the lab's client, removed and put back. */
  private static final String WITNESS = LabNetwork.SUBNET + "201";

  /** The port of the server that the tcp checker watches, on the node's own address. */
  private static final int PORT = 7200;

  private static final Duration STEP = Duration.ofSeconds(90);

  /**
   * A mirror module: fast heartbeats, a quick failover machine, errd watching a {@code sleep} that
   * start_prim starts (its argument {@code seconds} tells one node's from the other's: the nodes
   * share the machine's process table), a tcp checker on a server that start_prim also starts on
   * the node's {@code address}, and a ping checker on {@link #WITNESS}.
   */
  private static SafePackage mirror(String seconds, String address) {
    SafePackage p =
        new SafePackage(
            MODULE,
            "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\" maxloop=\"20\">\n"
                + "    <heart pulse=\"100\" timeout=\"2000\">\n"
                + "      <heartbeat name=\"default\" ident=\"0\"/>\n    </heart>\n"
                + "    <user nicestoptimeout=\"5\" forcestoptimeout=\"5\"/>\n"
                + "    <errd polltimer=\"1\"><proc name=\"sleep\" argregex=\"^sleep "
                + seconds
                + "$\" atleast=\"1\" action=\"stopstart\" class=\"prim\"/></errd>\n"
                + "    <check><ping ident=\"witness\" when=\"pre\" action=\"wait\"><to addr=\""
                + WITNESS
                + "\" interval=\"1\" timeout=\"1\"/></ping>\n"
                + "      <tcp ident=\"app\" when=\"prim\" action=\"stopstart\"><to addr=\""
                + address
                + "\" port=\""
                + PORT
                + "\" interval=\"1\" timeout=\"1\"/></tcp></check>\n"
                + "    <failover period=\"500ms\" handle_time=\"1000ms\"/>\n"
                + "  </service>\n</safe>\n");
    p.script(
        "start_prim",
        "setsid sleep "
            + seconds
            + " </dev/null >/dev/null 2>&1 &\npid=$!\n"
            + CheckerIT.STARTED
            + "echo $pid > \"$SAFEUSERVAR/app.pid\"\n"
            // the server: it says it listens once it does, start_prim waits for that (5 s at most)
            + "rm -f \"$SAFEUSERVAR/listening\"\n"
            + "setsid perl -MIO::Socket::INET -e '"
            + "my $s = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => $ARGV[1],"
            + " Listen => 16, ReuseAddr => 1) or die \"cannot listen: $!\";"
            + " open(my $f, \">\", $ARGV[2]) or die; close $f;"
            + " while (my $c = $s->accept) { close $c }' "
            + address
            + " "
            + PORT
            + " \"$SAFEUSERVAR/listening\" </dev/null >/dev/null 2>&1 &\n"
            + "echo $! > \"$SAFEUSERVAR/server.pid\"\n"
            + "i=0\nwhile [ ! -f \"$SAFEUSERVAR/listening\" ]; do\n"
            + "  i=$((i+1)); [ $i -gt 500 ] && exit 1; sleep 0.01\ndone\n");
    String stop =
        "for f in app.pid server.pid; do\n"
            + "  [ -f \"$SAFEUSERVAR/$f\" ] && kill -9 $(cat \"$SAFEUSERVAR/$f\") 2>/dev/null\n"
            + "  rm -f \"$SAFEUSERVAR/$f\"\ndone\nexit 0\n";
    p.script("stop_prim", stop);
    p.script("prestart", stop);
    return p;
  }

  private static String log(LabNode n, String module) throws Exception {
    return ok(n.safekit("log", "-m", module, "-A")).out();
  }

  /** Waits (with a deadline) until the module's log on {@code n} holds {@code line}. */
  private static String awaitLog(LabNode n, String module, String line) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    String log = log(n, module);
    while (!log.contains(line)) {
      assertTrue(n + ": no '" + line + "' in\n" + log, System.nanoTime() < deadline);
      Thread.onSpinWait();
      log = log(n, module);
    }
    return log;
  }

  @Test
  public void pingWaitOnBothNodesErrdFailoverAndInterfaceWait() throws Exception {
    int seconds = 900_000 + new Random().nextInt(50_000) * 2;
    try (NetLab lab = NetLab.create(2)) {
      LabNode n1 = lab.node(1);
      LabNode n2 = lab.node(2);
      String client = lab.network().client;
      must("ip", "-n", client, "addr", "add", WITNESS + "/24", "dev", "eth0");
      lab.startAll();
      lab.configureCluster();
      for (LabNode n : lab.nodes()) {
        n.install(MODULE, mirror(String.valueOf(seconds + n.index), n.address));
      }
      n1.primWithSecond(n2, MODULE, STEP);

      // 4.4.5: the witness gone, both nodes wait; back, both wake up
      must("ip", "-n", client, "addr", "del", WITNESS + "/24", "dev", "eth0");
      for (LabNode n : lab.nodes()) {
        n.awaitState(MODULE, "WAIT", STEP);
        inOrder(
            awaitLog(n, MODULE, "Action wait from failover rule p_witness"),
            "Resource ping.witness set to down by pingcheck",
            "Action wait from failover rule p_witness");
      }
      must("ip", "-n", client, "addr", "add", WITNESS + "/24", "dev", "eth0");
      for (LabNode n : lab.nodes()) {
        awaitLog(n, MODULE, "Action wakeup from failover rule Implicit_wakeup");
      }
      LabNode prim = awaitPair(n1, n2);
      LabNode second = prim == n1 ? n2 : n1;

      // 4.4.1 with stopstart: the primary's application killed, the mirror fails over
      ok(
          prim.safekit(
              "kill",
              "-name=sleep",
              "-argregex=^sleep " + (seconds + prim.index) + "$",
              "-level=9"));
      inOrder(
          awaitLog(prim, MODULE, "Action stopstart called by errd"),
          "Process sleep not running",
          "Action stopstart called by errd");
      second.awaitState(MODULE, "PRIM", STEP);
      prim.awaitState(MODULE, "SECOND", STEP);

      // 4.4.2 with stopstart: the new primary's server stops answering, the mirror fails back
      ok(
          second.safekit(
              "kill",
              "-name=perl",
              "-argregex=" + second.address.replace(".", "\\.") + " " + PORT + " ",
              "-level=9"));
      inOrder(
          awaitLog(second, MODULE, "Action stopstart from failover rule t_app"),
          "Resource tcp.app set to down by tcpcheck",
          "Action stopstart from failover rule t_app");
      prim.awaitState(MODULE, "PRIM", STEP);
      second.awaitState(MODULE, "SECOND", STEP);

      ok(second.safekit("stop", "-m", MODULE));
      ok(prim.safekit("stop", "-m", MODULE));
      second.awaitState(MODULE, "STOP", STEP);
      prim.awaitState(MODULE, "STOP", STEP);

      // 4.4.4: n1's cable pulled, its module waits until the link is back
      SafePackage intf =
          new SafePackage(
              "gintf",
              "<!DOCTYPE safe>\n<safe>\n  <service mode=\"light\">\n"
                  + "    <user nicestoptimeout=\"5\" forcestoptimeout=\"5\"/>\n"
                  + "    <check><intf ident=\"lan\"><to local_addr=\""
                  + n1.address
                  + "\"/></intf></check>\n"
                  + "    <failover period=\"500ms\" handle_time=\"1000ms\"/>\n"
                  + "  </service>\n</safe>\n");
      intf.script("start_both", "exit 0\n");
      intf.script("stop_both", "exit 0\n");
      n1.install("gintf", intf);
      ok(n1.safekit("start", "-m", "gintf"));
      n1.awaitState("gintf", "UP", STEP);
      lab.pullCable(n1);
      n1.awaitState("gintf", "WAIT", STEP);
      inOrder(
          awaitLog(n1, "gintf", "Action wait from failover rule interface_failure"),
          "Resource intf.lan set to down by intfcheck",
          "Action wait from failover rule interface_failure");
      lab.plugCable(n1);
      n1.awaitState("gintf", "UP", STEP);
      awaitLog(n1, "gintf", "Action wakeup from failover rule Implicit_wakeup");
      ok(n1.safekit("stop", "-m", "gintf"));
    }
  }

  /** Waits until one node is PRIM and the other SECOND; returns the primary. */
  private static LabNode awaitPair(LabNode n1, LabNode n2) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (true) {
      String s1 = n1.state(MODULE);
      String s2 = n2.state(MODULE);
      if (s1.contains("PRIM Ready") && s2.contains("SECOND Ready")) {
        return n1;
      }
      if (s2.contains("PRIM Ready") && s1.contains("SECOND Ready")) {
        return n2;
      }
      assertTrue(s1 + " / " + s2, System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }
}
