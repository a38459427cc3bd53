package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The impaired cables of one lab switch: for node K, a {@code netdev cable_nK} table on its switch
 * port {@code nK} (loss, duplication) and a {@link DelayRelay} in the cable (delay), all in the
 * switch's namespace.
 */
final class CableImpairments implements AutoCloseable {
  /**
   * The mark of a frame already duplicated: its copy passes the same hook again and would be copied
   * again (1/(1-p) copies on average instead of netem's 1+p). Crossing into the node's namespace
   * clears it (a veth scrubs the mark of a frame that changes namespace).
   */
  private static final String DUPLICATED = "0x6c6162";

  private final LabRun run;

  /** The switch's namespace, and its bridge device there. */
  private final String bridge;

  private final String bridgeDevice;

  /** Nodes whose cable has an impairment table. Guarded by this. */
  private final Set<Integer> impaired = new TreeSet<>();

  /** The delay relays in the cables, by node. Guarded by this. */
  private final Map<Integer, DelayRelay> relays = new TreeMap<>();

  CableImpairments(LabRun run, String bridge, String bridgeDevice) {
    this.run = run;
    this.bridge = bridge;
    this.bridgeDevice = bridgeDevice;
  }

  /**
   * Node {@code k}'s cable drops, duplicates and delays frames, both ways, as {@code impairment}
   * says; replaces the impairment in force. Loss and duplication are nftables rules on the port
   * ({@code netdev cable_nK}): frames to the node are duplicated on their way out of its port,
   * frames from it back into the switch, which forwards the copy as the original. A delay puts a
   * {@link DelayRelay} in the cable: port {@code nK} leaves the bridge, TAP {@code dK} takes its
   * place, and the frames from the node are impaired as they enter the switch through the TAP.
   */
  synchronized void impair(int k, Impairment impairment) throws IOException, InterruptedException {
    clear(k);
    String port = "n" + k;
    String entry = port;
    if (!impairment.delay().isZero()) {
      Path program = DelayRelay.compile(run.dir);
      DelayRelay relay =
          DelayRelay.start(
              program, bridge, port, "d" + k, impairment.delay(), run.dir.resolve("relay-" + port));
      relays.put(k, relay);
      must("ip", "-n", bridge, "link", "set", port, "nomaster");
      must("ip", "-n", bridge, "link", "set", relay.tap, "master", bridgeDevice, "up");
      entry = relay.tap;
    }
    if (impairment.lossPerTenThousand() == 0 && impairment.duplicatePerTenThousand() == 0) {
      return;
    }
    String table = "netdev cable_" + port;
    nft("add table " + table);
    impaired.add(k);
    nft(
        "add chain "
            + table
            + " from_node { type filter hook ingress device "
            + LabNetwork.q(entry)
            + " priority 0; }");
    nft(
        "add chain "
            + table
            + " to_node { type filter hook egress device "
            + LabNetwork.q(port)
            + " priority 0; }");
    for (String[] chain :
        List.of(new String[] {"from_node", bridgeDevice}, new String[] {"to_node", port})) {
      String rule = "add rule " + table + " " + chain[0] + " ";
      if (impairment.lossPerTenThousand() > 0) {
        nft(
            rule
                + "numgen random mod 10000 < "
                + impairment.lossPerTenThousand()
                + " counter drop");
      }
      if (impairment.duplicatePerTenThousand() > 0) {
        nft(
            rule
                + "meta mark != "
                + DUPLICATED
                + " numgen random mod 10000 < "
                + impairment.duplicatePerTenThousand()
                + " counter meta mark set "
                + DUPLICATED
                + " dup to "
                + LabNetwork.q(chain[1]));
      }
    }
  }

  /** Node {@code k}'s cable is perfect again: rules deleted, relay gone, port on the bridge. */
  synchronized void clear(int k) throws IOException, InterruptedException {
    if (impaired.remove(k)) {
      nft("delete table netdev cable_n" + k);
    }
    DelayRelay relay = relays.remove(k);
    if (relay != null) {
      relay.close();
      must("ip", "-n", bridge, "link", "set", "n" + k, "master", bridgeDevice);
    }
  }

  /** The impairment rules with their counters on node {@code k}'s cable, or "" when none. */
  synchronized String rules(int k) throws IOException, InterruptedException {
    return impaired.contains(k)
        ? must("ip", "netns", "exec", bridge, "nft", "list table netdev cable_n" + k).out()
        : "";
  }

  private void nft(String command) throws IOException, InterruptedException {
    must("ip", "netns", "exec", bridge, "nft", command);
  }

  /** Kills every relay; the rules go with the switch's namespace. */
  @Override
  public synchronized void close() throws Exception {
    List<Exception> failures = new ArrayList<>();
    for (DelayRelay relay : relays.values()) {
      try {
        relay.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    relays.clear();
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
