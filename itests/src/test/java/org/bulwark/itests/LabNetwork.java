package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bulwark.itests.NodeProcess.Result;

/**
 * The lab's network: a switch and its cables, all inside network namespaces this class creates.
 *
 * <pre>
 *   bwlab-…-br   br0 (a Linux bridge) with ports n1 … nN and c: the switch, where faults live
 *   bwlab-…-n1   eth0 10.213.0.1/24 (veth, other end n1 on br0), lo
 *   …
 *   bwlab-…-c    eth0 10.213.0.200/24 (veth, other end c on br0), lo: the client
 * </pre>
 *
 * Every lab has the same addresses: they exist only in its own namespaces, with no route to or from
 * the host's, so labs running side by side never meet. Nothing is added to the host's network
 * namespace; the bridge lives in a namespace of its own. Faults are made at the switch, as a
 * network would make them (silent drops, a cable pulled), never by rules in a node's own tables,
 * which stay free for the product's (its farm filter): a partition drops frames between chosen
 * ports ({@code bridge lab} table), a cable is pulled by taking its switch port down, and {@link
 * Impairment}s drop or duplicate frames on one cable with nftables' random numbers ({@code netdev
 * cable_nK} tables) and delay them through a {@link DelayRelay}. This kernel has no {@code
 * sch_netem}: see {@code docs/lab.md}.
 */
final class LabNetwork implements AutoCloseable {
  static final String SUBNET = "10.213.0.";
  static final String CLIENT_ADDRESS = SUBNET + "200";

  /** The node interface and the switch, each in its own namespace. */
  static final String INTERFACE = "eth0";

  private static final String BRIDGE = "br0";
  private static final String CLIENT_PORT = "c";

  /**
   * The mark of a frame already duplicated: its copy passes the same hook again and would be copied
   * again (1/(1-p) copies on average instead of netem's 1+p). Crossing into the node's namespace
   * clears it (a veth scrubs the mark of a frame that changes namespace).
   */
  private static final String DUPLICATED = "0x6c6162";

  final String bridge;
  final String client;
  private final List<String> nodes = new ArrayList<>();

  /** The namespaces created, in order; {@link #close()} deletes them. Guarded by this. */
  private final List<String> created = new ArrayList<>();

  /** Nodes whose cable has an impairment table. Guarded by this. */
  private final Set<Integer> impaired = new TreeSet<>();

  /** The delay relays in the cables, by node. Guarded by this. */
  private final Map<Integer, DelayRelay> relays = new TreeMap<>();

  private final LabRun run;

  private LabNetwork(LabRun run, int nodeCount) {
    this.run = run;
    this.bridge = run.namespace("br");
    this.client = run.namespace("c");
    for (int i = 1; i <= nodeCount; i++) {
      nodes.add(run.namespace("n" + i));
    }
  }

  /** Builds the switch, {@code nodeCount} node namespaces and the client's, cabled and up. */
  static LabNetwork create(LabRun run, int nodeCount) throws IOException, InterruptedException {
    LabNetwork net = new LabNetwork(run, nodeCount);
    try {
      net.build();
      return net;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        net.close();
      } catch (Exception f) {
        e.addSuppressed(f);
      }
      throw e;
    }
  }

  private synchronized void build() throws IOException, InterruptedException {
    add(bridge);
    // no STP: a port forwards as soon as its cable is up
    must("ip", "-n", bridge, "link", "add", BRIDGE, "type", "bridge", "stp_state", "0");
    must("ip", "-n", bridge, "link", "set", BRIDGE, "up");
    nft("add table bridge lab");
    nft("add chain bridge lab cut { type filter hook forward priority 0; }");
    for (int i = 1; i <= nodes.size(); i++) {
      cable(nodes.get(i - 1), "n" + i, address(i));
    }
    cable(client, CLIENT_PORT, CLIENT_ADDRESS);
  }

  private void add(String ns) throws IOException, InterruptedException {
    must("ip", "netns", "add", ns);
    created.add(ns);
  }

  /** A new namespace {@code ns} whose eth0 is cabled to switch port {@code port}. */
  private void cable(String ns, String port, String address)
      throws IOException, InterruptedException {
    add(ns);
    must("ip", "-n", ns, "link", "set", "lo", "up");
    // both ends made in place: the veth never exists in the host's namespace
    must("ip", "-n", bridge, "link", "add", port, "type", "veth", "peer", INTERFACE, "netns", ns);
    must("ip", "-n", bridge, "link", "set", port, "master", BRIDGE, "up");
    must("ip", "-n", ns, "addr", "add", address + "/24", "dev", INTERFACE);
    must("ip", "-n", ns, "link", "set", INTERFACE, "up");
  }

  /** The address of node {@code k} (1-based). */
  static String address(int k) {
    return SUBNET + k;
  }

  /** The network namespace of node {@code k} (1-based). */
  String node(int k) {
    return nodes.get(k - 1);
  }

  int size() {
    return nodes.size();
  }

  /** Runs {@code command} in network namespace {@code ns} to its end, at most {@code deadline}. */
  static Result in(String ns, Duration deadline, String... command)
      throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    c.addAll(List.of(command));
    return NodeProcess.run(c, Map.of(), deadline);
  }

  /**
   * From now on no frame passes between a node of {@code a} and a node of {@code b}, either way
   * (ARP included); each side still reaches the client and its own side. Cumulative until {@link
   * #heal}.
   */
  synchronized void partition(Collection<Integer> a, Collection<Integer> b)
      throws IOException, InterruptedException {
    for (int x : a) {
      for (int y : b) {
        if (x == y) {
          throw new IllegalArgumentException("node " + x + " on both sides of a partition");
        }
        // a node's frames cross the bridge through its port, or the TAP of its delayed cable
        nft("add rule bridge lab cut iifname " + ports(x) + " oifname " + ports(y) + " drop");
        nft("add rule bridge lab cut iifname " + ports(y) + " oifname " + ports(x) + " drop");
      }
    }
  }

  private static String ports(int k) {
    return "{ " + q("n" + k) + ", " + q("d" + k) + " }";
  }

  /** Every partition ends. */
  synchronized void heal() throws IOException, InterruptedException {
    nft("flush chain bridge lab cut");
  }

  /** The partition rules in force, as nft lists them (for failure messages and checks). */
  String partitionRules() throws IOException, InterruptedException {
    return must("ip", "netns", "exec", bridge, "nft", "list chain bridge lab cut").out();
  }

  /**
   * Pulls ({@code false}) or plugs back ({@code true}) node {@code k}'s cable: its switch port goes
   * down, so the node's eth0 keeps its address and sees NO-CARRIER, as with a cable pulled.
   */
  void cable(int k, boolean plugged) throws IOException, InterruptedException {
    must("ip", "-n", bridge, "link", "set", "n" + k, plugged ? "up" : "down");
  }

  /**
   * Takes node {@code k}'s own eth0 down ({@code false}) or up ({@code true}) in the node's
   * namespace, as {@code ip link set eth0 down} by its administrator: the route of the lab's subnet
   * goes with it until it is up again.
   */
  void nodeInterface(int k, boolean up) throws IOException, InterruptedException {
    must("ip", "-n", node(k), "link", "set", INTERFACE, up ? "up" : "down");
  }

  /** Whether node {@code k}'s eth0 is administratively up (its {@code UP} flag). */
  boolean interfaceUp(int k) throws IOException, InterruptedException {
    String link = must("ip", "-n", node(k), "-o", "link", "show", INTERFACE).out();
    return link.matches("(?s)[^<]*<([^>]*,)?UP[,>].*");
  }

  /** Whether node {@code k}'s eth0 sees a carrier (its {@code LOWER_UP} flag). */
  boolean carrier(int k) throws IOException, InterruptedException {
    String link = must("ip", "-n", node(k), "-o", "link", "show", INTERFACE).out();
    return link.contains("LOWER_UP") && !link.contains("NO-CARRIER");
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
      must("ip", "-n", bridge, "link", "set", relay.tap, "master", BRIDGE, "up");
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
            + q(entry)
            + " priority 0; }");
    nft(
        "add chain "
            + table
            + " to_node { type filter hook egress device "
            + q(port)
            + " priority 0; }");
    for (String[] chain :
        List.of(new String[] {"from_node", BRIDGE}, new String[] {"to_node", port})) {
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
                + q(chain[1]));
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
      must("ip", "-n", bridge, "link", "set", "n" + k, "master", BRIDGE);
    }
  }

  /** The impairment rules with their counters on node {@code k}'s cable, or "" when none. */
  synchronized String impairmentRules(int k) throws IOException, InterruptedException {
    return impaired.contains(k)
        ? must("ip", "netns", "exec", bridge, "nft", "list table netdev cable_n" + k).out()
        : "";
  }

  /** One nft command in the switch's namespace (nft joins its arguments into one command). */
  private void nft(String command) throws IOException, InterruptedException {
    must("ip", "netns", "exec", bridge, "nft", command);
  }

  private static String q(String name) {
    return "\"" + name + "\"";
  }

  /**
   * Deletes every namespace this network created, the nodes' and the client's first, with every
   * process still in them; their veth ends, the bridge and the fault rules go with them.
   */
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
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        LabRun.deleteNamespace(created.get(i));
        created.remove(i);
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
