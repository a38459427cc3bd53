package org.bulwark.module.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.checker.CheckerService;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.deploy.ModuleActivity;
import org.bulwark.api.deploy.ModuleHeaders;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.rfs.ReplicationService;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStateListener;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.vip.VipService;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.bulwark.heartbeat.FarmChannelService;
import org.bulwark.heartbeat.HeartbeatService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module runtime's extender (DESIGN: deployer): every active bundle with a {@code
 * Bulwark-Module} header is a configured module; this component gives it a {@link ModuleRuntime},
 * and stops the module when its bundle goes (uninstall, reconfiguration, node shutdown).
 * Installing, updating or removing one module bundle never touches the others.
 */
@Component(
    service = {ModuleRegistry.class, ModuleActivity.class, ModuleExtender.class},
    immediate = true)
public final class ModuleExtender implements ModuleRegistry, ModuleActivity {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleExtender.class);

  private final NodeEnvironment env;
  private final ConfigService configs;
  private final EventLog events;
  private final ResourceHistory resources;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timers;
  private final ModuleFactory factory;
  private final Map<String, ModuleRuntime> modules = new ConcurrentHashMap<>();
  // the configuration each loaded runtime was built or last reconfigured with
  private final Map<String, ModuleConfig> loadedConfigs = new ConcurrentHashMap<>();
  // modules whose running runtime survives the update of their bundle (live reconfiguration)
  private final Set<String> handovers = ConcurrentHashMap.newKeySet();
  private final Map<String, ModuleRuntime> parked = new ConcurrentHashMap<>();
  private final BundleTracker<Slot> tracker;
  private final JournalWriter journalWriter =
      new JournalWriter("module-journal", JournalWriter.DEFAULT_CAPACITY);

  /**
   * Stops of running modules, which may take the stop scripts' timeouts (minutes): they run here,
   * never on the framework's thread that delivers the bundle event. A module being re-added waits
   * for the stop of its previous runtime (its ports) before it starts.
   */
  private final ExecutorService lifecycle =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "module-lifecycle");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();

  /**
   * When this node's process started. A module bundle installed or updated before it is one the
   * node found at boot (start it if its boot setting says so); a later one was just installed or
   * reconfigured (never start it by itself).
   */
  private final long processStart =
      ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);

  /** The node's directories ({@code SAFEVAR}, a module's {@code SAFEUSERVAR}). */
  org.bulwark.api.env.SafeDirectories directories() {
    return env.directories();
  }

  /** Told of every published module state (whiteboard): the REST API's server push. */
  private final List<ModuleStateListener> listeners = new CopyOnWriteArrayList<>();

  @Reference(
      cardinality = org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE,
      policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
  void addListener(ModuleStateListener listener) {
    listeners.add(listener);
  }

  void removeListener(ModuleStateListener listener) {
    listeners.remove(listener);
  }

  /** Hands a published state to every listener; one that throws never stops the others. */
  private void published(ModuleStatus status) {
    for (ModuleStateListener l : listeners) {
      try {
        l.stateChanged(status);
      } catch (RuntimeException e) {
        LOG.warn("A module state listener failed on {}", status, e);
      }
    }
  }

  private void removed(String name) {
    for (ModuleStateListener l : listeners) {
      try {
        l.moduleRemoved(name);
      } catch (RuntimeException e) {
        LOG.warn("A module state listener failed on the removal of {}", name, e);
      }
    }
  }

  /** The split-brain witnesses (feature bulwark-checker-splitbrain), when installed. */
  @Reference(
      cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
      policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
      policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
  private volatile org.bulwark.api.checker.SplitBrainWitness witness;

  @Activate
  public ModuleExtender(
      BundleContext context,
      @Reference NodeEnvironment env,
      @Reference ConfigService configs,
      @Reference EventLog events,
      @Reference ResourceHistory resources,
      @Reference HeartbeatService heartbeats,
      @Reference ReplicationService replication,
      @Reference VipService vips,
      @Reference FarmChannelService farmChannels,
      @Reference CheckerService checkers) {
    this.env = env;
    this.configs = configs;
    this.events = events;
    this.resources = resources;
    this.timers =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              Thread t = new Thread(r, "module-timers");
              t.setDaemon(true);
              return t;
            });
    this.factory =
        new ModuleFactory(
            env,
            clock,
            timers,
            Optional.of(heartbeats),
            Optional.of(replication),
            Optional.of(vips),
            Optional.of(farmChannels),
            Optional.of(checkers));
    factory.witnesses(() -> Optional.ofNullable(witness));
    this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, new Customizer());
    tracker.open();
  }

  @Deactivate
  void deactivate() {
    tracker.close(); // stops every module, as `safekit shutdown` does
    // node shutdown: wait (bounded) for the stops, so that scripts run and peers see STOP
    Duration limit =
        modules.values().stream()
            .map(ModuleRuntime::stopLimit)
            .max(Duration::compareTo)
            .orElse(ModuleFactory.DEFAULT_STOP_TIMEOUT.multipliedBy(2));
    try {
      CompletableFuture.allOf(stopping.values().toArray(new CompletableFuture<?>[0]))
          .get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Modules still stopping at node shutdown: {}", stopping.keySet());
    }
    lifecycle.shutdownNow();
    timers.shutdownNow();
    journalWriter.close();
  }

  @Override
  public List<ModuleStatus> modules() {
    List<ModuleStatus> list = new ArrayList<>();
    for (ModuleRuntime m : modules.values()) {
      list.add(m.status());
    }
    list.sort((a, b) -> a.name().compareTo(b.name()));
    return list;
  }

  @Override
  public Optional<ModuleStatus> module(String name) {
    return runtime(name).map(ModuleRuntime::status);
  }

  @Override
  public boolean isStopped(String module) {
    return runtime(module).map(m -> m.local().state() == ModuleState.STOP).orElse(true);
  }

  @Override
  public LocalState state(String module) {
    return runtime(module).map(ModuleRuntime::local).orElse(LocalState.STOPPED);
  }

  @Override
  public Handover reconfiguring(String module) {
    handovers.add(module);
    return () -> {
      handovers.remove(module);
      ModuleRuntime left = parked.remove(module);
      if (left != null) {
        // its bundle did not come back: unloaded as any removed module
        stop(left);
      }
    };
  }

  Optional<ModuleRuntime> runtime(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(modules.get(name));
  }

  Collection<ModuleRuntime> runtimes() {
    return modules.values();
  }

  /** A tracked module bundle and the runtime loaded for it (none if its load failed or waits). */
  private static final class Slot {
    // guarded by this
    private ModuleRuntime runtime;
    private boolean removed;
  }

  /** Builds a module's runtime from its bundle's headers and applied configuration. */
  private Slot start(Bundle bundle) {
    Slot slot = new Slot();
    String name = bundle.getHeaders().get(ModuleHeaders.MODULE);
    String configured = bundle.getHeaders().get(ModuleHeaders.MODULE_CONFIG);
    int id;
    try {
      id = Integer.parseInt(bundle.getHeaders().get(ModuleHeaders.MODULE_ID));
    } catch (NumberFormatException e) {
      nodeLog(EventLevel.C, "Module " + name + " has no valid id: not started");
      return slot;
    }
    if (configured == null) {
      nodeLog(EventLevel.C, "Module " + name + " is not configured: not started");
      return slot;
    }
    Path dir = Path.of(configured);
    Optional<ClusterConfig> cluster = appliedCluster();
    ConfigResult<ModuleConfig> result =
        configs.loadModule(
            dir.resolve("conf").resolve("userconfig.xml"),
            new ModuleContext(name, id, System.getenv(), cluster));
    if (result instanceof ConfigResult.Invalid<ModuleConfig> invalid) {
      for (ConfigurationError error : invalid.errors()) {
        nodeLog(EventLevel.C, "Module " + name + ": " + error);
      }
      return slot;
    }
    ModuleConfig config = ((ConfigResult.Valid<ModuleConfig>) result).model();
    ModuleRuntime kept = parked.remove(name);
    if (kept != null) {
      // a live reconfiguration (spec B.0): the running module takes the new configuration
      ModuleConfig before = loadedConfigs.getOrDefault(name, config);
      loadedConfigs.put(name, config);
      factory
          .reconfigure(kept, before, config, dir)
          .whenComplete(
              (live, e) -> {
                if (e != null) {
                  LOG.warn("Module {}: live reconfiguration not applied: {}", name, e.toString());
                } else {
                  LOG.info("Module {}: {}", name, live.message());
                }
              });
      synchronized (slot) {
        slot.runtime = kept;
      }
      return slot;
    }
    CompletableFuture<Void> previousStop = stopping.get(name);
    if (previousStop != null && !previousStop.isDone()) {
      // its previous runtime is still stopping (scripts): start once its ports are free
      nodeLog(EventLevel.E, "Module " + name + " loads once its previous runtime has stopped");
      previousStop.thenRunAsync(
          () -> {
            synchronized (slot) {
              if (!slot.removed) {
                slot.runtime = load(name, id, config, dir, cluster, bundle);
              }
            }
          },
          lifecycle);
      return slot;
    }
    synchronized (slot) {
      slot.runtime = load(name, id, config, dir, cluster, bundle);
    }
    return slot;
  }

  private ModuleRuntime load(
      String name,
      int id,
      ModuleConfig config,
      Path dir,
      Optional<ClusterConfig> cluster,
      Bundle bundle) {
    ModuleRuntime runtime =
        factory.create(
            config, dir, cluster, new Journal(name, events, resources, clock, journalWriter));
    loadedConfigs.put(name, config);
    runtime.publishTo(this::published);
    ModuleRuntime previous = modules.put(name, runtime);
    if (previous != null) {
      stop(previous);
    }
    published(runtime.status());
    LOG.info("Module {} (id {}) loaded: {}", name, id, runtime.local());
    if (bundle.getLastModified() >= processStart) {
      // loaded because its configuration was applied now, not because the node started: the
      // maintenance toggles go back to what it says (spec F.3)
      Toggles.applied(runtime, config);
    }
    if (bundle.getLastModified() < processStart && runtime.bootEnabled()) {
      runtime.command(Verb.START, Origin.boot(), "");
    }
    return runtime;
  }

  private Optional<ClusterConfig> appliedCluster() {
    Path file = env.directories().cluster().resolve("cluster.xml");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    ConfigResult<ClusterConfig> result = configs.loadCluster(file);
    return result instanceof ConfigResult.Valid<ClusterConfig> valid
        ? Optional.of(valid.model())
        : Optional.empty();
  }

  /**
   * Unloads a module. A stopped one closes at once (its loop drains in milliseconds); a running one
   * stops on the lifecycle executor, bounded by its stop timeouts, so that the framework's thread
   * is never held for minutes.
   */
  private void stop(ModuleRuntime runtime) {
    modules.remove(runtime.name, runtime);
    if (!modules.containsKey(runtime.name)) {
      loadedConfigs.remove(runtime.name);
      removed(runtime.name);
    }
    if (runtime.local().state() == ModuleState.STOP) {
      runtime.close(runtime.stopLimit());
      LOG.info("Module {} unloaded", runtime.name);
      return;
    }
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              runtime.close(runtime.stopLimit());
              LOG.info("Module {} stopped and unloaded", runtime.name);
            },
            lifecycle);
    stopping.put(runtime.name, done);
    done.whenComplete((v, e) -> stopping.remove(runtime.name, done));
  }

  private void nodeLog(EventLevel level, String message) {
    LOG.warn(message);
    try {
      events.append(clock.instant(), "", "safeadmin", level, message);
    } catch (Exception e) {
      LOG.error("cannot journal: {}", message, e);
    }
  }

  private final class Customizer implements BundleTrackerCustomizer<Slot> {
    @Override
    public Slot addingBundle(Bundle bundle, BundleEvent event) {
      if (bundle.getHeaders().get(ModuleHeaders.MODULE) == null) {
        return null;
      }
      return start(bundle);
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Slot slot) {
      // a reconfiguration updates the bundle: it goes through STOPPED, then removed/added
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Slot slot) {
      ModuleRuntime runtime;
      synchronized (slot) {
        slot.removed = true;
        runtime = slot.runtime;
      }
      if (runtime == null) {
        return;
      }
      if (handovers.contains(runtime.name) && runtime.local().state() != ModuleState.STOP) {
        // updated for a live reconfiguration: kept running until the bundle is back
        parked.put(runtime.name, runtime);
        return;
      }
      stop(runtime);
    }
  }
}
