package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.HostNetwork;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.ModuleActivity;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.module.LocalState;

/** What the deployer's parts share: the node's directories, the parser, ids, bundles, limits. */
final class Workspace {

  /** Module names: they become directory names, bundle names and script variables. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** {@code SAFE/modules/lastconfig} holds saved configurations, it is not a module (B.21). */
  static final String LASTCONFIG = "lastconfig";

  final SafeDirectories dirs;
  final ConfigService config;
  final ModuleBundles bundles;
  final ModuleIds ids;
  final SafeArchive.Limits limits;
  private final Supplier<ModuleActivity> activity;

  /** This node's network as config checks a module against it; empty: not checked. */
  final Supplier<Optional<HostNetwork>> host;

  Workspace(
      SafeDirectories dirs,
      ConfigService config,
      ModuleBundles bundles,
      SafeArchive.Limits limits,
      Supplier<ModuleActivity> activity,
      Supplier<Optional<HostNetwork>> host) {
    this.dirs = dirs;
    this.host = host;
    this.config = config;
    this.bundles = bundles;
    this.limits = limits;
    this.activity = activity;
    this.ids = new ModuleIds(dirs.safeVar().resolve("modules").resolve("ids.properties"));
  }

  /** {@code SAFE/modules/AM}. */
  Path home(String module) {
    return dirs.modules().resolve(module);
  }

  /** {@code SAFE/private/modules/AM}: the applied configuration. */
  Path applied(String module) {
    return dirs.userConf(module).getParent();
  }

  static void checkName(String module) throws DeployException {
    if (module == null || module.isBlank()) {
      throw new DeployException("a module name is required: -m AM");
    }
    if (!NAME.matcher(module).matches() || module.equals(LASTCONFIG)) {
      throw new DeployException(
          "invalid module name '"
              + module
              + "': letters, digits, '_' and '-', at most 64, not 'lastconfig'");
    }
  }

  void requireInstalled(String module) throws DeployException {
    checkName(module);
    if (!Files.isDirectory(home(module))) {
      throw new DeployException("module " + module + " is not installed (no " + home(module) + ")");
    }
  }

  /** Whether the runtime says the module is not STOP; without a runtime nothing runs. */
  boolean isRunning(String module) {
    ModuleActivity runtime = activity.get();
    return runtime != null && !runtime.isStopped(module);
  }

  /** The module's local state as the runtime says ({@code STOP} without a runtime). */
  LocalState state(String module) {
    ModuleActivity runtime = activity.get();
    return runtime == null ? LocalState.STOPPED : runtime.state(module);
  }

  /** Keeps a running module running across the update of its bundle (live configuration). */
  ModuleActivity.Handover handover(String module) {
    ModuleActivity runtime = activity.get();
    return runtime == null ? ModuleActivity.Handover.NONE : runtime.reconfiguring(module);
  }

  /** Refuses to touch a running module (the runtime's {@link ModuleActivity} says). */
  void requireStopped(String module) throws DeployException {
    if (isRunning(module)) {
      throw new DeployException(
          "module " + module + " is running: stop it first (safekit stop -m " + module + ")");
    }
  }

  /** The installed modules: folders of {@code SAFE/modules} with a valid name. */
  Set<String> installed() {
    Path modules = dirs.modules();
    if (!Files.isDirectory(modules)) {
      return new TreeSet<>();
    }
    try (Stream<Path> list = Files.list(modules)) {
      return list.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> NAME.matcher(n).matches() && !n.equals(LASTCONFIG))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      return new TreeSet<>();
    }
  }

  /**
   * The context a module is checked in. With {@code cluster}, lan and node names are checked
   * against the applied {@code cluster.xml} (when valid) and macros may use the script environment;
   * without, only the file itself (a template can be installed before the cluster is configured).
   */
  ModuleContext context(String module, int id, boolean cluster) {
    if (!cluster) {
      return new ModuleContext(module, id, Map.of(), Optional.empty());
    }
    Optional<ClusterConfig> applied = Optional.empty();
    Path clusterFile = dirs.cluster().resolve("cluster.xml");
    if (Files.exists(clusterFile)
        && config.loadCluster(clusterFile) instanceof ConfigResult.Valid<ClusterConfig> valid) {
      applied = Optional.of(valid.model());
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(dirs.scriptEnvironment(module));
    return new ModuleContext(module, id, env, applied);
  }

  /** Parses a userconfig.xml; every error, with file:line:column, in the exception's message. */
  ModuleConfig validate(String module, Path userconfig, String shownAs, ModuleContext context)
      throws DeployException {
    ConfigResult<ModuleConfig> result = check(module, userconfig, shownAs, context);
    if (result instanceof ConfigResult.Valid<ModuleConfig> valid) {
      return valid.model();
    }
    throw invalid(result.errors());
  }

  /** The configuration's problems, none when it is valid; a missing or unreadable file throws. */
  ConfigResult<ModuleConfig> check(
      String module, Path userconfig, String shownAs, ModuleContext context)
      throws DeployException {
    if (!Files.isRegularFile(userconfig)) {
      throw new DeployException("module " + module + ": no " + shownAs);
    }
    byte[] content;
    try {
      content = Files.readAllBytes(userconfig);
    } catch (IOException e) {
      throw new DeployException("module " + module + ": cannot read " + shownAs + ": " + e);
    }
    return config.parseModule(shownAs, content, context);
  }

  /**
   * Whether the problems only leave a template to complete (issue 11): values left blank, macros
   * not set, as official packages ship their VIP address or replicated directory. A typo, an
   * unknown element or malformed XML is no template: the package is refused.
   */
  static boolean onlyIncomplete(List<ConfigurationError> errors) {
    for (ConfigurationError error : errors) {
      String m = error.message();
      boolean blank =
          m.startsWith("empty value") || m.startsWith("undefined macro") || m.contains("value ''");
      if (!blank) {
        return false;
      }
    }
    return true;
  }

  static DeployException invalid(List<ConfigurationError> errors) {
    StringBuilder text = new StringBuilder();
    for (ConfigurationError error : errors) {
      text.append(error.format()).append(System.lineSeparator());
    }
    int n = errors.size();
    text.append(n).append(n == 1 ? " error" : " errors").append(": configuration not valid");
    return new DeployException(text.toString());
  }
}
