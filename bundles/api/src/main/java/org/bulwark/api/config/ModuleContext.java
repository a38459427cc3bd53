package org.bulwark.api.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a module configuration is parsed against.
 *
 * @param moduleName the module name (AM)
 * @param moduleId the module id, or 0 when not known yet (ports are then not derived)
 * @param environment variables that {@code %NAME%} may denote when no macro has that name (spec
 *     B.2)
 * @param cluster the applied cluster configuration: lan and node names are checked against it when
 *     present
 * @param host this node's network: when present, the interfaces and virtual addresses of {@code
 *     <vip>} are checked against it ({@code safekit config}, spec B.6)
 */
public record ModuleContext(
    String moduleName,
    int moduleId,
    Map<String, String> environment,
    Optional<ClusterConfig> cluster,
    Optional<HostNetwork> host) {

  public ModuleContext {
    Objects.requireNonNull(moduleName, "moduleName");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(host, "host");
  }

  /** A context whose configuration is not checked against this node's network. */
  public ModuleContext(
      String moduleName,
      int moduleId,
      Map<String, String> environment,
      Optional<ClusterConfig> cluster) {
    this(moduleName, moduleId, environment, cluster, Optional.empty());
  }

  /** The same context, checked against {@code host} too. */
  public ModuleContext withHost(HostNetwork host) {
    return new ModuleContext(moduleName, moduleId, environment, cluster, Optional.of(host));
  }

  /** A context with no environment and no cluster: only the file itself is checked. */
  public static ModuleContext standalone(String moduleName) {
    return new ModuleContext(moduleName, 0, Map.of(), Optional.empty());
  }
}
