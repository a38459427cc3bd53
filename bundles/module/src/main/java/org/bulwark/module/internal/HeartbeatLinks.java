package org.bulwark.module.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Heart;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.store.EventLevel;
import org.bulwark.heartbeat.HeartbeatService.Link;

/**
 * Where a mirror module's heartbeats go (spec B.4, A.2, G.9): for every {@code <heartbeat
 * name="lan">}, this node's address on that cluster lan and the other node's, both on the module's
 * port ({@code <heart port>}, else 8888 + id − 1). The pre-7.2 syntax names the two addresses
 * directly. Without {@code <heart>}, the cluster's command lan with ident {@code 0}, as {@link
 * ModuleFactory#heartConfig} assumes.
 */
final class HeartbeatLinks {
  private final NodeEnvironment env;
  private final Journal journal;

  HeartbeatLinks(NodeEnvironment env, Journal journal) {
    this.env = env;
    this.journal = journal;
  }

  /** The links, or empty after logging why the module cannot send heartbeats. */
  Optional<List<Link>> of(
      int moduleId, Optional<Heart> heart, Optional<ClusterConfig> cluster, String self) {
    int port = heart.map(h -> h.effectivePort(moduleId)).orElse(8888 + moduleId - 1);
    List<Heart.Heartbeat> beats = heart.map(Heart::heartbeats).orElse(List.of());
    List<Link> links = new ArrayList<>();
    if (beats.isEmpty()) {
      if (cluster.isEmpty()) {
        return fail("no cluster configuration (safekit cluster config) and no <heart>");
      }
      return lanLink("0", cluster.get().commandLan(), self, port).map(List::of);
    }
    for (Heart.Heartbeat h : beats) {
      Optional<Link> link;
      if (h.legacy()) {
        link = legacyLink(h, port);
      } else if (cluster.isEmpty()) {
        return fail(
            "heartbeat " + h.ident() + ": no cluster configuration (safekit cluster config)");
      } else {
        Optional<Lan> lan = cluster.get().lan(h.name());
        if (lan.isEmpty()) {
          return fail("heartbeat " + h.ident() + ": lan " + h.name() + " is not in cluster.xml");
        }
        link = lanLink(h.ident(), lan.get(), self, port);
      }
      if (link.isEmpty()) {
        return Optional.empty();
      }
      links.add(link.get());
    }
    return Optional.of(links);
  }

  private Optional<Link> lanLink(String ident, Lan lan, String self, int port) {
    Optional<Node> local = lan.node(self);
    List<Node> others = lan.nodes().stream().filter(n -> !n.name().equals(self)).toList();
    if (local.isEmpty()) {
      return fail("heartbeat " + ident + ": this node " + self + " is not on lan " + lan.name());
    }
    if (others.size() != 1) {
      return fail(
          "heartbeat "
              + ident
              + ": lan "
              + lan.name()
              + " must hold exactly two nodes for a mirror module, found "
              + lan.nodes().size());
    }
    return Optional.of(
        new Link(
            ident,
            new InetSocketAddress(Node.host(local.get().localAddr()), port),
            new InetSocketAddress(Node.host(others.get(0).addr()), port)));
  }

  /** {@code <heartbeat><server addr/><server addr/>}: ours is the node's bind address. */
  private Optional<Link> legacyLink(Heart.Heartbeat h, int port) {
    List<String> servers = h.servers().stream().map(Node::host).toList();
    List<String> others = servers.stream().filter(a -> !a.equals(env.bindAddress())).toList();
    if (servers.size() != 2 || others.size() != 1) {
      return fail(
          "heartbeat "
              + h.ident()
              + ": none of "
              + servers
              + " is this node's address "
              + env.bindAddress());
    }
    return Optional.of(
        new Link(
            h.ident(),
            new InetSocketAddress(env.bindAddress(), port),
            new InetSocketAddress(others.get(0), port)));
  }

  private <T> Optional<T> fail(String why) {
    journal.log(EventLevel.E, "heart", "No heartbeat can be sent: " + why);
    return Optional.empty();
  }
}
