package org.bulwark.api.rfs;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import org.bulwark.api.config.Rfs;

/**
 * What the replication of one module needs to know.
 *
 * @param module the module name
 * @param node this node's name
 * @param rfs the module's {@code <rfs>} element
 * @param local where this node listens for its secondary: its address on the replication lan and
 *     the module's replication port (spec G.9: 5600 + (id − 1) × 4)
 * @param peer the peer node's address on that lan and the same port
 * @param state where the replication keeps its durable state ({@code SAFEUSERVAR/rfs})
 */
public record ReplicationSetup(
    String module,
    String node,
    Rfs rfs,
    InetSocketAddress local,
    InetSocketAddress peer,
    Path state) {
  public ReplicationSetup {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(rfs, "rfs");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(state, "state");
  }
}
