package org.bulwark.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resources the rules read at one evaluation (spec B.20): this node's, the peer's as they
 * travelled on heartbeats (mirror only), and the cluster's state for {@code cluster()}.
 *
 * <p>Values are the resource table's: {@code init}, {@code up}, {@code down}, numbers and
 * percentages ({@code FarmProto_0} = {@code 50%}), module states ({@code state.local} = {@code
 * PRIM}). While the peer is not heard from ({@code remoteKnown} false) every {@code remote.}
 * reference reads {@code unknown} (spec B.19: "the remote state is unknown at the test time").
 *
 * @param local this node's resources by name ({@code heartbeat.0}, {@code rfs.uptodate})
 * @param remote the peer's resources by name, as last received
 * @param remoteKnown whether the peer is heard from now
 * @param cluster the value of {@code cluster()}: {@code up} while some node of the module is heard
 *     from, {@code down} when this node is alone on every lan
 */
public record ResourceSnapshot(
    Map<String, String> local, Map<String, String> remote, boolean remoteKnown, String cluster) {

  /** The value every remote reference reads while the peer is not heard from. */
  public static final String UNKNOWN = "unknown";

  public ResourceSnapshot {
    local = java.util.Collections.unmodifiableMap(new TreeMap<>(local));
    remote = java.util.Collections.unmodifiableMap(new TreeMap<>(remote));
    Objects.requireNonNull(cluster, "cluster");
  }

  /** Only local resources: a farm module, or a mirror whose peer is not heard from. */
  public static ResourceSnapshot of(Map<String, String> local) {
    return new ResourceSnapshot(local, Map.of(), false, "up");
  }

  /** The same with the peer's resources, heard from. */
  public ResourceSnapshot withRemote(Map<String, String> remoteResources) {
    return new ResourceSnapshot(local, remoteResources, true, cluster);
  }

  /** The same with {@code cluster()} reading {@code value}. */
  public ResourceSnapshot withCluster(String value) {
    return new ResourceSnapshot(local, remote, remoteKnown, value);
  }

  /** The same with one local resource set. */
  public ResourceSnapshot with(String name, String value) {
    Map<String, String> copy = new TreeMap<>(local);
    copy.put(name, value);
    return new ResourceSnapshot(copy, remote, remoteKnown, cluster);
  }

  /** The value of a resource, empty when it does not exist on that side. */
  public Optional<String> value(boolean remoteSide, String name) {
    if (remoteSide) {
      return remoteKnown ? Optional.ofNullable(remote.get(name)) : Optional.of(UNKNOWN);
    }
    return Optional.ofNullable(local.get(name));
  }

  /**
   * The values of every resource of a class ({@code intf} → {@code intf.ip.0}, {@code intf.lan2});
   * a single {@code unknown} for the peer's while it is not heard from.
   */
  public List<String> values(boolean remoteSide, String resourceClass) {
    if (remoteSide && !remoteKnown) {
      return List.of(UNKNOWN);
    }
    String prefix = resourceClass + ".";
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : (remoteSide ? remote : local).entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /** The names of this node's resources of a class. */
  public List<String> names(String resourceClass) {
    String prefix = resourceClass + ".";
    return local.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
  }
}
