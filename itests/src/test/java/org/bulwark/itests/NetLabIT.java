package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The network lab proven on two real nodes and a client (issue 10 item 1): each node runs in its
 * own network namespace on its lab address and answers its {@code safekit} there; the client
 * reaches both; a mirror module pairs PRIM/SECOND over heartbeats between the lab addresses; a
 * partition makes both ALONE and healing ends the split brain as spec C.8 says (the former primary
 * stays); a pulled cable and a kill -9 are failures the peer sees; a lossy, a duplicating and a
 * delaying cable change what arrives and when; and nothing of the lab is left once it is closed.
 */
public class NetLabIT {
  private static final String MODULE = MirrorPair.MODULE;

  /** Heartbeat timeout 2 s + pulse + role scripts, with room for a loaded 2-core machine. */
  private static final Duration FAILOVER = Duration.ofSeconds(20);

  private static final Duration STEP = Duration.ofSeconds(60);
  private static final int DATAGRAMS = 2000;
  private static final int PROBE_PORT = 9;
  private static final Duration DELAY = Duration.ofMillis(100);

  @Test
  public void twoNodesAndAClientOnTheLabSwitch() throws Exception {
    NetLab lab = NetLab.create(2);
    String run = lab.run.id;
    Set<Long> pids = new TreeSet<>();
    try (lab) {
      LabNode n1 = lab.node(1);
      LabNode n2 = lab.node(2);
      assertLabStaysInItsNamespaces(lab);

      lab.startAll();
      for (LabNode n : lab.nodes()) {
        pids.addAll(n.namespace.processes());
        // the node's JVM is in the node's network namespace, and answers there
        String jvm = Long.toString(n.process.pid());
        assertEquals(n.netns, must("ip", "netns", "identify", jvm).out().trim());
        assertTrue(ok(n.safekit("level")).out().contains("Version: Bulwark"));
        // the client reaches it at its lab address, where it listens
        assertEquals(200, lab.httpStatus(n, "/api/v1.0/level"));
        String console = clientGet(lab, n, "/console");
        assertTrue(console, console.contains("listening on " + n.address));
      }

      mirrorPairs(lab, n1, n2);
      partitionAndHeal(lab, n1, n2);
      linkDownAndUp(lab, n1, n2);
      impairedCable(lab, n1);
      killNine(lab, n1, n2);
    }
    for (long pid : pids) {
      assertFalse(pid + " survived the lab", NodeProcess.running(pid));
    }
    assertTrue(
        LabRun.namespaces().toString(),
        LabRun.namespaces().stream().noneMatch(ns -> ns.startsWith(run)));
    assertFalse(Files.exists(LabRun.ROOT.resolve(run)));
  }

  /** Only namespaces of this run hold its addresses and its bridge; the host has neither. */
  private static void assertLabStaysInItsNamespaces(NetLab lab) throws Exception {
    List<String> ours =
        LabRun.namespaces().stream().filter(ns -> ns.startsWith(lab.run.id)).sorted().toList();
    LabNetwork net = lab.network();
    assertEquals(
        new TreeSet<>(List.of(net.bridge, net.client, net.node(1), net.node(2))),
        new TreeSet<>(ours));
    String host = must("ip", "-o", "addr").out();
    assertFalse(host, host.contains(LabNetwork.SUBNET));
    ok(LabNetwork.in(net.bridge, STEP, "ip", "link", "show", "br0"));
    String hostLinks = must("ip", "-o", "link").out();
    for (String ns : ours) {
      String links = must("ip", "-n", ns, "-o", "link").out();
      for (String line : links.lines().toList()) {
        String name = line.split(": ")[1].split("@")[0];
        if (!name.equals("lo") && !name.equals("eth0")) {
          // a switch port: n1, n2, c or br0, nowhere but in the switch's namespace
          assertEquals(line, net.bridge, ns);
        }
      }
    }
    assertFalse(hostLinks, hostLinks.matches("(?s).*: (n1|n2|c)@.*"));
  }

  /** A mirror module pairs over heartbeats between the lab addresses. */
  private static void mirrorPairs(NetLab lab, LabNode n1, LabNode n2) throws Exception {
    lab.configureCluster();
    for (LabNode n : lab.nodes()) {
      n.install(
          MODULE,
          MirrorPair.mirrorPackage(
              n.work().resolve("trace"), "pulse=\"100\" timeout=\"2000\"", ""));
    }
    n1.primWithSecond(n2, MODULE, STEP);
    assertTrue(n2.moduleLog(MODULE), n2.moduleLog(MODULE).contains("Remote state PRIM Ready"));
    // the heartbeats' sockets are on the lab addresses (module 1: port 8888, spec G.9)
    for (LabNode n : lab.nodes()) {
      String udp = ok(n.run(STEP, "ss", "-Hnua")).out();
      // the JVM's sockets are IPv6 ones: an IPv4 address shows mapped
      assertTrue(n + ": " + udp, udp.contains("[::ffff:" + n.address + "]:8888"));
    }
    assertPrimary(lab, n1, n2);
  }

  /**
   * Spec C.8: without a splitbrain checker, both sides of a partition go ALONE and serve; once it
   * heals the former primary stays and the other rejoins as SECOND.
   */
  private static void partitionAndHeal(NetLab lab, LabNode n1, LabNode n2) throws Exception {
    lab.partition(List.of(n1), List.of(n2));
    n2.awaitState(MODULE, "ALONE", FAILOVER);
    n1.awaitState(MODULE, "ALONE", FAILOVER);
    // both serve: the client still reaches both sides, the sides do not reach each other
    assertEquals(200, lab.httpStatus(n1, "/var/modules/" + MODULE + "/ready.txt"));
    assertEquals(200, lab.httpStatus(n2, "/var/modules/" + MODULE + "/ready.txt"));
    Result across =
        n1.run(STEP, "curl", "-s", "--max-time", "2", "http://" + n2.address + ":9010/");
    // curl: timed out (frames dropped at the switch), or no route to host (ARP unanswered)
    assertTrue(across.toString(), across.exitCode() == 28 || across.exitCode() == 7);
    String log = n2.moduleLog(MODULE);
    assertTrue(log, log.contains("Action alone called by heart"));

    lab.heal();
    n2.awaitState(MODULE, "SECOND", STEP);
    n1.awaitState(MODULE, "PRIM", STEP);
    // the former primary stays, whether it heard the other side's ALONE or only its leaving
    String stayed = n1.moduleLog(MODULE);
    assertTrue(stayed, stayed.contains("Split brain recovery: staying alone"));
    String left = n2.moduleLog(MODULE);
    assertTrue(left, left.contains("Split brain recovery: exiting alone"));
    assertPrimary(lab, n1, n2);
  }

  /**
   * A pulled cable, then the node's own interface set down: no one reaches the node and its peer
   * goes ALONE; once plugged or up again, the pair is back.
   */
  private static void linkDownAndUp(NetLab lab, LabNode n1, LabNode n2) throws Exception {
    lab.pullCable(n2);
    assertFalse(lab.network().carrier(n2.index));
    assertTrue(lab.network().interfaceUp(n2.index));
    n1.awaitState(MODULE, "ALONE", FAILOVER);
    assertEquals(0, lab.httpStatus(n2, "/api/v1.0/level"));
    lab.plugCable(n2);
    assertTrue(lab.network().carrier(n2.index));
    n2.awaitState(MODULE, "SECOND", STEP);
    n1.awaitState(MODULE, "PRIM", STEP);
    assertPrimary(lab, n1, n2);

    // the same with n2's own interface set down: its heartbeats have no route any more
    lab.interfaceDown(n2);
    assertFalse(lab.network().interfaceUp(n2.index));
    n1.awaitState(MODULE, "ALONE", FAILOVER);
    assertEquals(0, lab.httpStatus(n2, "/api/v1.0/level"));
    lab.interfaceUp(n2);
    assertTrue(lab.network().interfaceUp(n2.index));
    n2.awaitState(MODULE, "SECOND", STEP);
    n1.awaitState(MODULE, "PRIM", STEP);
    assertPrimary(lab, n1, n2);
  }

  /**
   * 30% loss, then 30% duplication, then a 100 ms delay on n1's cable: of datagrams sent by the
   * client, n1's input counts about 70%, then about 130% (bounds at 7 standard deviations), then
   * all, late; all at once, and connections open fast again, once cleared.
   */
  private static void impairedCable(NetLab lab, LabNode n1) throws Exception {
    ok(n1.run(STEP, "nft", "add", "table", "inet", "lab_probe"));
    ok(
        n1.run(
            STEP,
            "nft",
            "add",
            "chain",
            "inet",
            "lab_probe",
            "in",
            "{ type filter hook input priority 0; }"));
    ok(
        n1.run(
            STEP,
            "nft",
            "add",
            "rule",
            "inet",
            "lab_probe",
            "in",
            "udp",
            "dport",
            Integer.toString(PROBE_PORT),
            "counter"));
    // the client knows n1's MAC before the loss begins (ARP would be lossy too)
    assertEquals(200, lab.httpStatus(n1, "/api/v1.0/level"));

    lab.impair(n1, Impairment.loss(30));
    long lost = probe(lab, n1);
    String rules = lab.network().impairmentRules(n1.index);
    assertTrue(lost + " of " + DATAGRAMS + " arrived\n" + rules, lost > 1250 && lost < 1550);

    lab.impair(n1, Impairment.duplicate(30));
    long doubled = probe(lab, n1);
    rules = lab.network().impairmentRules(n1.index);
    assertTrue(
        doubled + " of " + DATAGRAMS + " arrived\n" + rules, doubled > 2450 && doubled < 2750);

    // 100 ms each way: a TCP handshake crosses the cable twice; the relay loses nothing, and the
    // mirror's heartbeats (timeout 2 s) keep the pair
    lab.impair(n1, Impairment.delay(DELAY));
    double delayed = connectSeconds(lab, n1);
    assertTrue(delayed + " s to connect", delayed >= 2 * DELAY.toMillis() / 1000.0);
    assertTrue(delayed + " s to connect", delayed < 1.0);
    long before = counted(n1);
    send(lab, n1);
    NodeNamespace.await(
        () -> counted(n1) - before == DATAGRAMS,
        STEP,
        () -> (counted(n1) - before) + " of " + DATAGRAMS + " arrived through the delayed cable");
    assertTrue(n1.state(MODULE), n1.state(MODULE).contains("PRIM Ready"));

    lab.clearImpairment(n1);
    assertEquals("", lab.network().impairmentRules(n1.index));
    assertEquals(DATAGRAMS, probe(lab, n1));
    double direct = connectSeconds(lab, n1);
    assertTrue(direct + " s to connect", direct < 2 * DELAY.toMillis() / 1000.0);
    System.out.printf(
        "NetLabIT: of %d datagrams %d arrived with 30%% loss, %d with 30%% duplication;"
            + " connect %.3f s with %s each way, %.3f s without%n",
        DATAGRAMS, lost, doubled, delayed, DELAY, direct);
    ok(n1.run(STEP, "nft", "delete", "table", "inet", "lab_probe"));
  }

  /** How long a TCP connection from the client to the node's web port takes to open. */
  private static double connectSeconds(NetLab lab, LabNode n) throws Exception {
    String url = "http://" + n.address + ":" + NetLab.WEB_PORT + "/api/v1.0/level";
    Result r = ok(lab.client(STEP, "curl", "-s", "-o", "/dev/null", "-w", "%{time_connect}", url));
    return Double.parseDouble(r.out().trim());
  }

  /**
   * Sends {@link #DATAGRAMS} UDP datagrams from the client to n1; returns how many more n1's input
   * counted. A datagram crosses the veths and the bridge in the sender's own system call (their
   * transmit hands it to the receiving side's backlog, run before the call returns), so all have
   * arrived once the sender exits.
   */
  private static long probe(NetLab lab, LabNode n1) throws Exception {
    long before = counted(n1);
    send(lab, n1);
    return counted(n1) - before;
  }

  private static void send(NetLab lab, LabNode n1) throws Exception {
    ok(
        lab.client(
            STEP,
            "bash",
            "-c",
            "for i in $(seq "
                + DATAGRAMS
                + "); do printf x > /dev/udp/"
                + n1.address
                + "/"
                + PROBE_PORT
                + "; done"));
  }

  private static long counted(LabNode n1) {
    try {
      String table = ok(n1.run(STEP, "nft", "list", "table", "inet", "lab_probe")).out();
      Matcher m = Pattern.compile("counter packets (\\d+)").matcher(table);
      assertTrue(table, m.find());
      return Long.parseLong(m.group(1));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** kill -9 of the PRIM node: all its processes go, the SECOND is ALONE; it restarts as SECOND. */
  private static void killNine(NetLab lab, LabNode n1, LabNode n2) throws Exception {
    Set<Long> before = n1.namespace.processes();
    n1.kill9();
    for (long pid : before) {
      assertFalse(pid + " survived kill -9 of n1", NodeProcess.running(pid));
    }
    assertEquals("", must("ip", "netns", "pids", n1.netns).out());
    n2.awaitState(MODULE, "ALONE", FAILOVER);
    assertEquals(0, lab.httpStatus(n1, "/api/v1.0/level"));
    assertEquals(200, lab.httpStatus(n2, "/var/modules/" + MODULE + "/ready.txt"));

    ok(n1.start());
    ok(n1.safekit("start", "-m", MODULE));
    n1.awaitState(MODULE, "SECOND", STEP);
    n2.awaitState(MODULE, "PRIM", STEP);
    assertPrimary(lab, n2, n1);
  }

  /** Seen from the client, the health-check URL answers on the primary only (spec G.10). */
  private static void assertPrimary(NetLab lab, LabNode prim, LabNode second) throws Exception {
    String url = "/var/modules/" + MODULE + "/ready.txt";
    assertEquals(prim.state(MODULE), 200, lab.httpStatus(prim, url));
    assertEquals(second.state(MODULE), 404, lab.httpStatus(second, url));
  }

  private static String clientGet(NetLab lab, LabNode n, String path) throws Exception {
    return ok(lab.client(
            STEP, "curl", "-s", "--max-time", "5", "http://" + n.address + ":9010" + path))
        .out();
  }

  @Test
  public void leftoversOfDeadRunsOnlyAreRemoved() throws Exception {
    // a run whose JVM is gone: a pid that ended
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    String dead = LabRun.PREFIX + ended.pid() + "-1-1";
    // a run of this JVM, alive
    long self = ProcessHandle.current().pid();
    String selfStart = Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ")[19];
    String alive = LabRun.PREFIX + self + "-" + selfStart + "-999";
    Path deadDir = LabRun.ROOT.resolve(dead);
    try {
      must("ip", "netns", "add", dead + "-n1");
      must("ip", "netns", "add", alive + "-n1");
      Files.createDirectories(deadDir.resolve("node"));
      // a process left in the dead run's namespace, as a node JVM would be
      Process left =
          new ProcessBuilder("ip", "netns", "exec", dead + "-n1", "sleep", "600").start();
      NodeNamespace.await(
          () -> {
            try {
              return !must("ip", "netns", "pids", dead + "-n1").out().isBlank();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          STEP,
          () -> "sleep did not enter " + dead + "-n1");

      List<String> removed = LabRun.removeLeftovers();

      assertTrue(removed.toString(), removed.contains("netns " + dead + "-n1"));
      assertTrue(removed.toString(), removed.contains(deadDir.toString()));
      assertFalse(LabRun.namespaces().contains(dead + "-n1"));
      assertFalse(Files.exists(deadDir));
      assertTrue(left.waitFor(STEP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(LabRun.namespaces().contains(alive + "-n1"));
    } finally {
      for (String ns : List.of(dead + "-n1", alive + "-n1")) {
        if (LabRun.namespaces().contains(ns)) {
          LabRun.deleteNamespace(ns);
        }
      }
      if (Files.exists(deadDir)) {
        Files.delete(deadDir.resolve("node"));
        Files.delete(deadDir);
      }
      try {
        Files.deleteIfExists(LabRun.ROOT);
      } catch (java.nio.file.DirectoryNotEmptyException labsRunning) {
        // theirs
      }
    }
  }
}
