package org.bulwark.config.internal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.env.NodeEnvironment;

/** What {@code confcheck -m AM} and {@code confinfo -m AM} share: paths and the module context. */
final class ModuleConfigVerbs {

  static final String USERCONFIG = "userconfig.xml";

  private ModuleConfigVerbs() {}

  /** {@code SAFE/modules/AM/conf/userconfig.xml}: the current configuration (spec B.0). */
  static Path current(NodeEnvironment node, String module) {
    return node.directories().modules().resolve(module).resolve("conf").resolve(USERCONFIG);
  }

  /** {@code SAFE/private/modules/AM/conf/userconfig.xml}: the active configuration (spec F.5). */
  static Path active(NodeEnvironment node, String module) {
    return node.directories().userConf(module).resolve(USERCONFIG);
  }

  /** The module name, or a usage error printed. */
  static Optional<String> module(CliRequest request, CliOutput out, String usage) {
    if (request.module() == null || request.module().isBlank()) {
      out.err().println("a module is required: -m AM");
      out.err().println(usage);
      return Optional.empty();
    }
    if (!request.module().matches("[A-Za-z0-9_.-]+")) {
      out.err().println("invalid module name '" + request.module() + "'");
      return Optional.empty();
    }
    return Optional.of(request.module());
  }

  /**
   * Parses the module's current configuration against the applied cluster (when there is a valid
   * one) with the script environment and the caller's variables for macros.
   */
  static ConfigResult<ModuleConfig> parse(
      ConfigService config, NodeEnvironment node, String module, CliRequest request) {
    Path clusterFile = node.directories().cluster().resolve(ClusterVerb.FILE);
    Optional<ClusterConfig> cluster = Optional.empty();
    if (Files.exists(clusterFile)) {
      ConfigResult<ClusterConfig> applied = config.loadCluster(clusterFile);
      if (applied instanceof ConfigResult.Valid<ClusterConfig> valid) {
        cluster = Optional.of(valid.model());
      }
    }
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.putAll(request.environment());
    environment.putAll(node.directories().scriptEnvironment(module));
    return config.loadModule(
        current(node, module), new ModuleContext(module, 0, environment, cluster));
  }

  static int exitOf(ConfigResult<?> result) {
    return result.isValid() ? CliExit.OK : CliExit.FAILED;
  }
}
