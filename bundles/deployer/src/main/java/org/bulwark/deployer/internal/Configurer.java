package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Dynamic;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.ModuleActivity;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code config -m AM} and {@code deconfig -m AM} (spec F.5, B.0, B.21). Config checks {@code
 * SAFE/modules/AM} against the applied cluster, builds the new {@code SAFE/private/modules/AM}
 * beside the old one (conf, bin, the instantiated {@code safeconf.xml}), swaps it in with renames,
 * then installs or updates the module bundle; if the bundle step fails the old folder comes back.
 */
final class Configurer {

  /** Configurations kept in {@code SAFE/modules/lastconfig} per module (spec B.21). */
  static final int KEPT = 3;

  static final List<String> PARTS = List.of("conf", "bin");
  private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Za-z_][A-Za-z0-9_]*)%");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

  private static final Logger LOG = LoggerFactory.getLogger(Configurer.class);

  private final Workspace ws;
  private final Clock clock;
  private final ConfigScripts scripts;

  Configurer(Workspace ws, Clock clock, Duration scriptTimeout) {
    this.ws = ws;
    this.clock = clock;
    this.scripts = new ConfigScripts(ws, clock, scriptTimeout);
  }

  /**
   * The context checked against this node's network too (spec B.6): a VIP on an interface this node
   * lacks, or held here by something else, is refused before anything changes.
   */
  private ModuleContext here(ModuleContext context) {
    return ws.host.get().map(context::withHost).orElse(context);
  }

  /** What {@link #config} would refuse in the installed configuration: nothing when complete. */
  List<ConfigurationError> check(String module, int id) throws DeployException {
    ws.requireInstalled(module);
    Path file = ws.home(module).resolve(SafeArchive.USERCONFIG);
    return ws.check(module, file, file.toString(), here(ws.context(module, id, true))).errors();
  }

  /** Applies the module's configuration; returns its signature. */
  String config(String module, int id) throws DeployException {
    ws.requireInstalled(module);
    Path home = ws.home(module);
    ModuleContext context = ws.context(module, id, true);
    ModuleConfig model =
        ws.validate(
            module,
            home.resolve(SafeArchive.USERCONFIG),
            home.resolve(SafeArchive.USERCONFIG).toString(),
            here(context));
    Path applied = ws.applied(module);
    boolean live = requireDynamic(module, model, context);
    Path fresh = null;
    Path previous = null;
    boolean swapped = false;
    String signature;
    try {
      fresh = Trees.sibling(applied, "config");
      for (String part : PARTS) {
        if (Files.isDirectory(home.resolve(part))) {
          Trees.copy(home.resolve(part), fresh.resolve(part));
        }
      }
      Files.createDirectories(fresh.resolve("conf"));
      Files.writeString(
          fresh.resolve("conf").resolve("safeconf.xml"),
          instantiate(Files.readString(home.resolve(SafeArchive.USERCONFIG)), model, context));
      Wrappers.write(fresh.resolve("bin"), ws.dirs, model);
      signature = Trees.signature(fresh, PARTS);
      previous = Trees.swap(fresh, applied);
      swapped = true;
      scripts.run(module, model, "config");
      scripts.run(module, model, "postconfig");
      try (ModuleActivity.Handover handover =
          live ? ws.handover(module) : ModuleActivity.Handover.NONE) {
        ws.bundles.deploy(new ModuleBundle(module, id, home, applied, signature));
      }
    } catch (Exception e) {
      if (swapped) {
        try {
          Trees.restore(applied, previous);
        } catch (IOException restore) {
          e.addSuppressed(restore);
        }
      } else {
        Trees.deleteQuietly(fresh);
      }
      throw new DeployException("module " + module + ": config failed: " + e.getMessage(), e);
    }
    Trees.deleteQuietly(previous);
    if (model.rfs().isPresent()) {
      forgetSynchronisationPoint(module);
    }
    try {
      saveLastConfig(module);
    } catch (IOException e) {
      // the configuration is applied; only the history copy is missing
      LOG.warn(
          "module {}: could not save the configuration in lastconfig: {}", module, e.toString());
    }
    return signature;
  }

  /**
   * A running module takes only the dynamic part of a new configuration (spec B.0), in the states
   * where SafeKit allows it (ALONE, WAIT, and a farm's UP): anything else is refused before a file
   * changes. Returns whether the module runs (the configuration is then applied live).
   */
  private boolean requireDynamic(String module, ModuleConfig next, ModuleContext context)
      throws DeployException {
    Path current = ws.applied(module).resolve(SafeArchive.USERCONFIG);
    if (!ws.isRunning(module) || !Files.exists(current)) {
      return false;
    }
    LocalState state = ws.state(module);
    if (!LIVE_STATES.contains(state)) {
      throw new DeployException(
          "module "
              + module
              + " is "
              + state
              + ": a running module is configured only in ALONE (Ready), WAIT (NotReady) or UP (Ready),"
              + " spec B.0;"
              + " stop it first (safekit stop -m "
              + module
              + ")");
    }
    if (ws.config.loadModule(current, context) instanceof ConfigResult.Valid<ModuleConfig> valid) {
      List<String> changes = Dynamic.staticChanges(valid.model(), next);
      if (!changes.isEmpty()) {
        throw new DeployException(
            "module "
                + module
                + " is running and these changes need it stopped: "
                + String.join(", ", changes)
                + " (safekit stop -m "
                + module
                + ", then safekit config -m "
                + module
                + ")");
      }
    }
    return true;
  }

  /** Where a running module takes a new configuration (spec B.0; UP Ready is a farm's ALONE). */
  private static final Set<LocalState> LIVE_STATES =
      Set.of(
          LocalState.of(ModuleState.ALONE, Readiness.READY),
          LocalState.of(ModuleState.WAIT, Readiness.NOT_READY),
          LocalState.of(ModuleState.UP, Readiness.READY));

  /**
   * The file the replication reads beside its synchronisation point ({@code SAFEUSERVAR/rfs}, the
   * rfs bundle's {@code SyncState.CONFIGURED}): {@code config} and {@code deconfig} force the full
   * policy at the next reintegration (spec C.4 case 4), even with the same directories and peer.
   */
  static final String RFS_CONFIGURED = "rfs/configured";

  /**
   * Forces the full policy at the module's next reintegration (spec C.4 case 4). Not fatal: the
   * configuration is applied or removed whatever happens here; a failure is logged.
   */
  private void forgetSynchronisationPoint(String module) {
    Path marker = ws.dirs.userVar(module).resolve(RFS_CONFIGURED);
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, clock.instant().toString() + System.lineSeparator());
    } catch (IOException e) {
      LOG.warn(
          "module {}: the next reintegration may not be full as configured: cannot write {}: {}",
          module,
          marker,
          e.toString());
    }
  }

  /** Removes the module bundle (the runtime stops the module) and the applied configuration. */
  void deconfig(String module) throws DeployException {
    if (Files.isDirectory(ws.dirs.userVar(module).resolve("rfs"))) {
      forgetSynchronisationPoint(module); // a module that replicated: full after the next config
    }
    runDeconfigScript(module);
    try {
      ws.bundles.undeploy(module);
      Path applied = ws.applied(module);
      if (Files.exists(applied)) {
        Path trash = Trees.sibling(applied, "deconfig");
        Files.delete(trash);
        Trees.move(applied, trash);
        Trees.deleteRecursively(trash);
      }
    } catch (Exception e) {
      throw new DeployException("module " + module + ": deconfig failed: " + e.getMessage(), e);
    }
  }

  /** The {@code deconfig} script undoes {@code config}; a failing one is logged, not blocking. */
  private void runDeconfigScript(String module) {
    Path current = ws.applied(module).resolve(SafeArchive.USERCONFIG);
    if (!Files.exists(current)) {
      return;
    }
    ConfigResult<ModuleConfig> model = ws.config.loadModule(current, ws.context(module, 0, true));
    if (model instanceof ConfigResult.Valid<ModuleConfig> valid) {
      try {
        scripts.run(module, valid.model(), "deconfig");
      } catch (DeployException e) {
        LOG.warn("{}", e.getMessage());
      }
    }
  }

  /**
   * {@code safeconf.xml}: the file with every {@code %NAME%} replaced, macros first then the
   * environment (spec B.2); scripts read it with {@code xpathGet}.
   */
  static String instantiate(String text, ModuleConfig model, ModuleContext context) {
    Map<String, String> macros = model.macros();
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = macros.containsKey(name) ? macros.get(name) : context.environment().get(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code SAFE/modules/lastconfig/AM_<date>_<time>.safe}, the last {@value #KEPT} kept. */
  private void saveLastConfig(String module) throws IOException {
    Path dir = ws.dirs.modules().resolve(Workspace.LASTCONFIG);
    Files.createDirectories(dir);
    String stamp = STAMP.format(clock.instant().atZone(clock.getZone()));
    Trees.zip(ws.home(module), module, dir.resolve(module + "_" + stamp + ".safe"));
    Pattern mine = Pattern.compile(Pattern.quote(module) + "_\\d{8}_\\d{6}\\.safe");
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> saved =
          list.filter(p -> mine.matcher(p.getFileName().toString()).matches())
              .sorted()
              .collect(Collectors.toList());
      for (int i = 0; i < saved.size() - KEPT; i++) {
        Files.deleteIfExists(saved.get(i));
      }
    }
  }
}
