package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.HostNetwork;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleActivity;
import org.bulwark.api.deploy.ModuleDeployer;
import org.bulwark.api.deploy.ModulePort;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link ModuleDeployer}. One lock serialises every operation, so the CLI, the deploy
 * folder and the shell never interleave on one module. At activation, module bundles are brought in
 * line with the applied configurations (a framework started with a clean cache has none).
 */
@Component(service = ModuleDeployer.class, configurationPid = "org.bulwark.deployer")
public final class LocalDeployer implements ModuleDeployer {

  private static final Logger LOG = LoggerFactory.getLogger(LocalDeployer.class);

  /** Limits on one package; defaults fit any real module. */
  @ObjectClassDefinition(name = "Bulwark module deployer")
  public @interface Config {
    @AttributeDefinition(description = "most entries a .safe may hold")
    int maxEntries() default 10_000;

    @AttributeDefinition(description = "most bytes a .safe may extract to")
    long maxBytes() default 256L * 1024 * 1024;
  }

  /** Bound on config, postconfig and deconfig scripts; the spec gives none (spec E.2 gap). */
  static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

  private final ReentrantLock lock = new ReentrantLock();
  private final Workspace ws;
  private final Installer installer;
  private final Configurer configurer;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ModuleActivity activity;

  /** This node's network, checked by config (spec B.6); without the vip bundle, not checked. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile HostNetwork host;

  @Activate
  public LocalDeployer(
      BundleContext context,
      @Reference NodeEnvironment node,
      @Reference ConfigService config,
      Config limits) {
    this(
        node.directories(),
        config,
        new OsgiModuleBundles(context),
        new SafeArchive.Limits(limits.maxEntries(), limits.maxBytes()),
        Clock.systemDefaultZone());
    recover();
    reconcile();
  }

  /** Puts right what an interrupted operation left (see {@link Recovery}). */
  void recover() {
    for (Path dir : List.of(ws.dirs.modules(), ws.applied("x").getParent())) {
      try {
        for (String line : Recovery.recover(dir)) {
          LOG.warn("interrupted module operation: {}", line);
        }
      } catch (IOException e) {
        LOG.error("cannot clean {} after an interrupted module operation", dir, e);
      }
    }
  }

  LocalDeployer(
      SafeDirectories dirs,
      ConfigService config,
      ModuleBundles bundles,
      SafeArchive.Limits limits,
      Clock clock) {
    this.ws =
        new Workspace(
            dirs, config, bundles, limits, () -> activity, () -> Optional.ofNullable(host));
    this.installer = new Installer(ws);
    this.configurer = new Configurer(ws, clock, SCRIPT_TIMEOUT);
  }

  /** For tests: this node's network as config checks it. */
  void setHost(HostNetwork host) {
    this.host = host;
  }

  /** For tests: the runtime's view of which modules run. */
  void setActivity(ModuleActivity activity) {
    this.activity = activity;
  }

  @Override
  public InstalledModule install(
      String module, Optional<Path> file, OptionalInt forcedId, boolean reinstall)
      throws DeployException {
    lock.lock();
    try {
      Installer.Staged staged = installer.stage(module, file, forcedId, reinstall, false);
      installer.commit(staged);
      return describe(module, staged.id());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<ConfigurationError> pending(String module) throws DeployException {
    lock.lock();
    try {
      return configurer.check(module, id(module));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public InstalledModule deploy(Path file) throws DeployException {
    String name = file.getFileName().toString();
    if (!name.endsWith(".safe")) {
      throw new DeployException(file + ": not a .safe package");
    }
    String module = name.substring(0, name.length() - ".safe".length());
    lock.lock();
    try {
      Installer.Staged staged =
          installer.stage(module, Optional.of(file), OptionalInt.empty(), true, true);
      try {
        configurer.config(module, staged.id());
      } catch (DeployException e) {
        rollback(staged, e);
        throw e;
      }
      installer.commit(staged);
      return describe(module, staged.id());
    } finally {
      lock.unlock();
    }
  }

  private void rollback(Installer.Staged staged, DeployException cause) {
    try {
      installer.rollback(staged);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public Path uninstall(String module) throws DeployException {
    lock.lock();
    try {
      ws.requireInstalled(module);
      ws.requireStopped(module);
      Path backup = installer.backup(module);
      configurer.deconfig(module);
      installer.remove(module);
      return backup;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<InstalledModule> list() {
    lock.lock();
    try {
      List<InstalledModule> modules = new ArrayList<>();
      for (String module : ws.installed()) {
        try {
          modules.add(describe(module, id(module)));
        } catch (DeployException e) {
          LOG.warn("{}", e.getMessage());
        }
      }
      return modules;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<ModulePort> ports(String module) throws DeployException {
    lock.lock();
    try {
      ws.requireInstalled(module);
      int id = id(module);
      Path applied = ws.applied(module).resolve(SafeArchive.USERCONFIG);
      Path file = Files.exists(applied) ? applied : ws.home(module).resolve(SafeArchive.USERCONFIG);
      Optional<ModuleConfig> model = Optional.empty();
      if (ws.config.loadModule(file, ws.context(module, id, false))
          instanceof ConfigResult.Valid<ModuleConfig> valid) {
        model = Optional.of(valid.model());
      }
      return ModulePorts.forModule(id, model);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<ModulePort> ports(int id) throws DeployException {
    if (id < 1) {
      throw new DeployException("invalid module id " + id + ": ids start at 1");
    }
    return ModulePorts.forId(id);
  }

  @Override
  public Path packageModule(String module, Path target) throws DeployException {
    lock.lock();
    try {
      return installer.pack(module, target);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public InstalledModule config(String module) throws DeployException {
    lock.lock();
    try {
      ws.requireInstalled(module);
      int id = id(module);
      configurer.config(module, id);
      return describe(module, id);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void deconfig(String module) throws DeployException {
    lock.lock();
    try {
      Workspace.checkName(module);
      if (!Files.isDirectory(ws.home(module)) && !Files.exists(ws.applied(module))) {
        throw new DeployException("module " + module + " is not installed");
      }
      ws.requireStopped(module);
      configurer.deconfig(module);
    } finally {
      lock.unlock();
    }
  }

  /** The module's id; a module copied in by hand gets one now. */
  private int id(String module) throws DeployException {
    try {
      OptionalInt id = ws.ids.of(module);
      if (id.isPresent()) {
        return id.getAsInt();
      }
      int fresh = ws.ids.choose(module, OptionalInt.empty(), ws.installed(), new String[1]);
      ws.ids.assign(module, fresh);
      return fresh;
    } catch (IOException e) {
      throw new DeployException("module " + module + ": cannot read module ids: " + e, e);
    }
  }

  private InstalledModule describe(String module, int id) throws DeployException {
    Path applied = ws.applied(module);
    if (!Files.isDirectory(applied)) {
      return new InstalledModule(module, id, ws.home(module), Optional.empty(), Optional.empty());
    }
    try {
      String signature = Trees.signature(applied, Configurer.PARTS);
      return new InstalledModule(
          module, id, ws.home(module), Optional.of(applied), Optional.of(signature));
    } catch (IOException e) {
      throw new DeployException("module " + module + ": cannot read " + applied + ": " + e, e);
    }
  }

  /** Every configured module has its bundle with the applied signature; no other module does. */
  void reconcile() {
    lock.lock();
    try {
      Map<String, String> deployed = ws.bundles.deployed();
      for (InstalledModule module : list()) {
        String signature = module.signature().orElse(null);
        if (signature != null && !signature.equals(deployed.get(module.name()))) {
          ws.bundles.deploy(
              new ModuleBundle(
                  module.name(), module.id(), module.home(), module.configured().get(), signature));
        }
      }
      for (String module : deployed.keySet()) {
        if (!Files.isDirectory(ws.applied(module))) {
          ws.bundles.undeploy(module);
        }
      }
    } catch (Exception e) {
      LOG.error("module bundles could not be brought in line with the applied configurations", e);
    } finally {
      lock.unlock();
    }
  }
}
