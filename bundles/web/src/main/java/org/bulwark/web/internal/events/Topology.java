package org.bulwark.web.internal.events;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The nodes a cluster feed follows: this node and its peers on the command lan of the applied
 * {@code cluster.xml}, with how this node presents itself to them.
 *
 * @param self this node's name (its host name without a cluster configuration)
 * @param peers the other nodes
 * @param authorization this node's {@code Authorization} header for the others (the
 *     distributed-command user, spec F.7), if its credentials are set
 */
public record Topology(String self, List<Peer> peers, Optional<String> authorization) {
  /**
   * A peer and its event stream.
   *
   * @param name its name in {@code cluster.xml}
   * @param events its {@code /api/v1.0/events}
   */
  public record Peer(String name, URI events) {}

  public Topology {
    peers = List.copyOf(peers);
  }
}
