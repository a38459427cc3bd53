package org.bulwark.module.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Farm;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.Node;
import org.bulwark.api.config.Vip;
import org.bulwark.api.store.EventLevel;
import org.bulwark.automaton.farm.FarmConfig;
import org.bulwark.automaton.farm.FarmGroup;
import org.bulwark.heartbeat.FarmChannelService.Link;

/**
 * What the farm membership of a module needs from its configuration (spec B.5, B.6, G.9;
 * docs/farm.md "wiring"): the farm nodes (every node of its {@code <farm><lan>}s in cluster.xml),
 * one link per lan on the farm port, the groups of {@code <loadbalancing_list>} with their powers,
 * and every node's address on the first farm lan (where {@code vmac_directed} forwards). Pure: it
 * only reads the configuration; problems are logged and give empty.
 *
 * @param config the membership's configuration
 * @param links one per {@code <farm><lan>}
 * @param addresses every farm node's address on the first farm lan
 */
record FarmWiring(FarmConfig config, List<Link> links, Map<String, InetAddress> addresses) {

  /** The wiring, or empty after logging why the module has no membership. */
  static Optional<FarmWiring> of(
      ModuleConfig module,
      Optional<ClusterConfig> cluster,
      String self,
      String bindAddress,
      Journal journal) {
    Farm farm = module.farm().orElse(null);
    if (farm == null) {
      return fail(journal, "the module has no <farm>");
    }
    int port = farm.effectivePort(module.moduleId());
    List<Lan> lans = new ArrayList<>();
    if (farm.legacy()) {
      // spec B.0: the lans list their nodes; cluster.xml, when present, only names unnamed ones
      lans.addAll(farm.legacyLans(cluster));
      Optional<String> me = legacySelf(lans, self, bindAddress);
      if (me.isEmpty()) {
        return fail(
            journal,
            "this node ("
                + self
                + ", "
                + bindAddress
                + ") is none of the <node>s of <farm><lan> (syntax of before 7.2)");
      }
      self = me.get();
      for (Lan lan : lans) {
        if (lan.node(self).isEmpty()) {
          return fail(
              journal,
              "this node "
                  + self
                  + " is not on "
                  + lan.name()
                  + " (<lan> "
                  + lan.name().substring(lan.name().lastIndexOf('_') + 1)
                  + " of <farm>)");
        }
      }
    } else {
      if (cluster.isEmpty()) {
        return fail(journal, "no cluster configuration (safekit cluster config)");
      }
      for (Farm.Lan l : farm.lans()) {
        if (l.name().isEmpty()) {
          return fail(
              journal, "<farm> mixes named <lan>s with <lan>s listing <node>s (before 7.2)");
        }
        Optional<Lan> lan = cluster.get().lan(l.name());
        if (lan.isEmpty()) {
          return fail(journal, "lan " + l.name() + " is not in cluster.xml");
        }
        if (lan.get().node(self).isEmpty()) {
          return fail(journal, "this node " + self + " is not on lan " + l.name());
        }
        lans.add(lan.get());
      }
    }
    if (lans.isEmpty()) {
      return fail(journal, "<farm> names no lan");
    }
    TreeSet<String> nodes = new TreeSet<>();
    lans.forEach(l -> l.nodes().forEach(n -> nodes.add(n.name())));
    List<Link> links = new ArrayList<>();
    Map<String, InetAddress> addresses = new LinkedHashMap<>();
    try {
      for (Lan lan : lans) {
        Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
        for (Node n : lan.nodes()) {
          if (!n.name().equals(self)) {
            peers.put(n.name(), new InetSocketAddress(address(n.addr()), port));
          }
        }
        Node local = lan.node(self).get();
        links.add(
            new Link(lan.name(), new InetSocketAddress(address(local.localAddr()), port), peers));
      }
      for (Node n : lans.get(0).nodes()) {
        addresses.put(n.name(), address(n.addr()));
      }
    } catch (UnknownHostException e) {
      return fail(journal, "a farm node's address does not resolve: " + e.getMessage());
    }
    FarmConfig config =
        new FarmConfig(
            module.moduleName(),
            self,
            List.copyOf(nodes),
            farm.pulse().toMillis(),
            farm.mlostCount(),
            farm.slostCount(),
            groups(module.vip(), nodes));
    return Optional.of(new FarmWiring(config, links, addresses));
  }

  /**
   * One group per {@code <group>} in order: its {@code <cluster>} hosts with their power, else
   * every farm node with power 1 (spec B.6).
   */
  static List<FarmGroup> groups(Optional<Vip> vip, TreeSet<String> nodes) {
    List<FarmGroup> groups = new ArrayList<>();
    if (vip.isEmpty()) {
      return groups;
    }
    int index = 0;
    for (Vip.Group g : vip.get().groups()) {
      if (g.hosts().isEmpty()) {
        groups.add(FarmGroup.all(g.name(), index, nodes));
      } else {
        Map<String, Integer> powers = new LinkedHashMap<>();
        g.hosts().forEach(h -> powers.put(h.name(), h.power()));
        groups.add(FarmGroup.weighted(g.name(), index, powers));
      }
      index++;
    }
    return groups;
  }

  /** This node among the listed ones: by its name, else by its bind address. */
  static Optional<String> legacySelf(List<Lan> lans, String self, String bindAddress) {
    for (Lan lan : lans) {
      if (lan.node(self).isPresent()) {
        return Optional.of(self);
      }
    }
    for (Lan lan : lans) {
      for (Node n : lan.nodes()) {
        if (Node.host(n.addr()).equals(bindAddress)) {
          return Optional.of(n.name());
        }
      }
    }
    return Optional.empty();
  }

  private static InetAddress address(String addr) throws UnknownHostException {
    return InetAddress.getByName(Node.host(addr));
  }

  private static <T> Optional<T> fail(Journal journal, String why) {
    journal.log(EventLevel.E, "vipd", "No farm membership: " + why);
    return Optional.empty();
  }
}
