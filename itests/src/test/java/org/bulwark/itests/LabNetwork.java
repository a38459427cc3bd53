package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

  final String bridge;
  final String client;
  private final List<String> nodes = new ArrayList<>();

  /** The namespaces created, in order; {@link #close()} deletes them. Guarded by this. */
  private final List<String> created = new ArrayList<>();

  private final CableImpairments impairments;

  private LabNetwork(LabRun run, int nodeCount) {
    this.bridge = run.namespace("br");
    this.client = run.namespace("c");
    this.impairments = new CableImpairments(run, bridge, BRIDGE);
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

  /**
   * From now on no frame passes between node {@code k} and the client, either way; the nodes still
   * reach each other. Cumulative until {@link #heal}.
   */
  synchronized void cutFromClient(int k) throws IOException, InterruptedException {
    nft("add rule bridge lab cut iifname " + ports(k) + " oifname " + q(CLIENT_PORT) + " drop");
    nft("add rule bridge lab cut iifname " + q(CLIENT_PORT) + " oifname " + ports(k) + " drop");
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
   * says; replaces the impairment in force (see {@link CableImpairments}).
   */
  void impair(int k, Impairment impairment) throws IOException, InterruptedException {
    impairments.impair(k, impairment);
  }

  /** Node {@code k}'s cable is perfect again. */
  void clear(int k) throws IOException, InterruptedException {
    impairments.clear(k);
  }

  /** The impairment rules with their counters on node {@code k}'s cable, or "" when none. */
  String impairmentRules(int k) throws IOException, InterruptedException {
    return impairments.rules(k);
  }

  /** One nft command in the switch's namespace (nft joins its arguments into one command). */
  private void nft(String command) throws IOException, InterruptedException {
    must("ip", "netns", "exec", bridge, "nft", command);
  }

  static String q(String name) {
    return "\"" + name + "\"";
  }

  /**
   * Deletes every namespace this network created, the nodes' and the client's first, with every
   * process still in them; their veth ends, the bridge and the fault rules go with them.
   */
  @Override
  public synchronized void close() throws Exception {
    List<Exception> failures = new ArrayList<>();
    try {
      impairments.close();
    } catch (Exception e) {
      failures.add(e);
    }
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
