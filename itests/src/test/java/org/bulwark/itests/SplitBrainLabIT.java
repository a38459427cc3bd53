package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * {@code <splitbrain>} in the network lab (issue 11, spec B.18, C.8): a mirror whose witness is the
 * lab's client ({@code 10.213.0.200}). The two nodes are partitioned from each other while both
 * still reach the client's switch; what the witness answers is set in the witness's own namespace
 * (an nftables rule there drops the echo requests of a node), never in a node's. Three partitions:
 * the witness reachable from the secondary only (it goes ALONE, the primary waits in {@code
 * splitbrain_failure}), from both (both ALONE, the split brain of C.8 resolved at the heal), from
 * neither (WAIT–WAIT, application down); each healed back to PRIM–SECOND with the log lines of the
 * spec.
 */
public class SplitBrainLabIT {
  static final String MODULE = "sbmirror";
  private static final Duration FAILOVER = Duration.ofSeconds(40);
  private static final Duration STEP = Duration.ofSeconds(90);

  @Test
  public void theWitnessDecidesWhoGoesAlone() throws Exception {
    try (NetLab lab = NetLab.create(2)) {
      LabNode n1 = lab.node(1);
      LabNode n2 = lab.node(2);
      lab.startAll();
      lab.configureCluster();
      for (LabNode n : lab.nodes()) {
        n.install(MODULE, modulePackage());
      }
      n1.primWithSecond(n2, MODULE, STEP);

      // 1. the witness answers the secondary only: it goes ALONE, the primary waits
      witnessDrops(lab, n1);
      lab.partition(List.of(n1), List.of(n2));
      n2.awaitState(MODULE, "ALONE", FAILOVER);
      n1.awaitState(MODULE, "WAIT", FAILOVER);
      String waiting = n1.moduleLog(MODULE);
      assertTrue(
          waiting, waiting.contains("Resource splitbrain.witness set to down by splitbraincheck"));
      assertTrue(
          waiting, waiting.contains("Resource splitbrain.uptodate set to down by splitbraincheck"));
      assertTrue(waiting, waiting.contains("Action wait from failover rule splitbrain_failure"));
      assertTrue(waiting, !waiting.contains("Action alone called by heart"));
      String alone = n2.moduleLog(MODULE);
      assertTrue(alone, alone.contains("Resource splitbrain.witness set to up by splitbraincheck"));
      assertTrue(alone, alone.contains("Action alone called by heart"));
      awaitLabel(n1, "WAIT NotReady");
      // healed: the waiting node resynchronises from the survivor and becomes SECOND
      witnessAnswersAll(lab);
      lab.heal();
      n1.awaitState(MODULE, "SECOND", STEP);
      n2.awaitState(MODULE, "PRIM", STEP);

      // 2. the witness answers both: both go ALONE, as without a witness; the heal resolves it
      lab.partition(List.of(n1), List.of(n2));
      n1.awaitState(MODULE, "ALONE", FAILOVER);
      n2.awaitState(MODULE, "ALONE", FAILOVER);
      lab.heal();
      n1.awaitState(MODULE, "SECOND", STEP); // n2 was primary first: it stays
      n2.awaitState(MODULE, "PRIM", STEP);
      String stays = n2.moduleLog(MODULE);
      assertTrue(stays, stays.contains("Split brain recovery: staying alone"));
      String exits = n1.moduleLog(MODULE);
      assertTrue(exits, exits.contains("Split brain recovery: exiting alone"));

      // 3. the witness answers nobody: WAIT-WAIT, the application down on both
      witnessDrops(lab, n1);
      witnessDrops(lab, n2);
      lab.partition(List.of(n1), List.of(n2));
      n1.awaitState(MODULE, "WAIT", FAILOVER);
      n2.awaitState(MODULE, "WAIT", FAILOVER);
      awaitLabel(n1, "WAIT NotReady");
      awaitLabel(n2, "WAIT NotReady");
      witnessAnswersAll(lab);
      lab.heal();
      n2.awaitState(MODULE, "PRIM", STEP);
      n1.awaitState(MODULE, "SECOND", STEP);
    }
  }

  /** The witness (the client's namespace) no longer answers {@code n}'s echo requests. */
  private static void witnessDrops(NetLab lab, LabNode n) throws Exception {
    String ns = lab.network().client;
    nft(ns, "add table inet witness");
    nft(ns, "add chain inet witness in { type filter hook input priority 0 ; policy accept ; }");
    nft(ns, "add rule inet witness in ip saddr " + n.address + " icmp type echo-request drop");
  }

  private static void witnessAnswersAll(NetLab lab) throws Exception {
    String ns = lab.network().client;
    nft(ns, "add table inet witness"); // exists or not, then gone
    nft(ns, "delete table inet witness");
  }

  private static void nft(String ns, String command) throws Exception {
    must("ip", "netns", "exec", ns, "nft", command);
  }

  /** Waits, with a deadline, until the module's label on {@code n} is {@code label}. */
  private static void awaitLabel(LabNode n, String label) throws Exception {
    NodeNamespace.await(
        () -> {
          try {
            return n.state(MODULE).contains(label);
          } catch (Exception e) {
            return false;
          }
        },
        FAILOVER,
        () -> n.name + " not " + label + "\n" + n.labLogs(MODULE));
  }

  /** A mirror with a fast heartbeat and the lab's client as its witness; no scripts. */
  static SafePackage modulePackage() {
    return new SafePackage(
        MODULE,
        "<!DOCTYPE safe>\n<safe>\n  <service mode=\"mirror\">\n"
            + "    <heart pulse=\"100\" timeout=\"2000\">\n"
            + "      <heartbeat name=\"default\" ident=\"0\"/>\n    </heart>\n"
            + "    <check>\n      <splitbrain ident=\"witness\" exec=\"ping\" arg=\""
            + LabNetwork.CLIENT_ADDRESS
            + "\"/>\n    </check>\n"
            + "  </service>\n</safe>\n");
  }
}
