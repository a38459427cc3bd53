package org.bulwark.module.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.bulwark.api.checker.CheckerService;
import org.bulwark.api.checker.SplitBrainWitness;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.Heart;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.Node;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.config.User;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.rfs.ReplicationService;
import org.bulwark.api.rfs.ReplicationSetup;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.FarmVip;
import org.bulwark.api.vip.FarmVipSetup;
import org.bulwark.api.vip.VipService;
import org.bulwark.api.vip.VipSetup;
import org.bulwark.automaton.FarmDriver;
import org.bulwark.automaton.HeartConfig;
import org.bulwark.automaton.MirrorDriver;
import org.bulwark.automaton.ModuleDriver;
import org.bulwark.automaton.ReplicationPolicy;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.farm.MembershipDriver;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.FailoverRules;
import org.bulwark.heartbeat.FarmChannelService;
import org.bulwark.heartbeat.HeartbeatService;

/** Builds the runtime of one module from its applied configuration. */
final class ModuleFactory {
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(300);

  private final NodeEnvironment env;
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final Optional<HeartbeatService> heartbeats;

  private final Optional<ReplicationService> replication;
  private final Optional<VipService> vips;
  private final Optional<FarmChannelService> farmChannels;
  private final Optional<CheckerService> checkers;
  private volatile java.util.function.Supplier<Optional<SplitBrainWitness>> witnesses =
      Optional::empty;

  ModuleFactory(
      NodeEnvironment env,
      Clock clock,
      ScheduledExecutorService timers,
      Optional<HeartbeatService> heartbeats,
      Optional<ReplicationService> replication) {
    this(env, clock, timers, heartbeats, replication, Optional.empty());
  }

  ModuleFactory(
      NodeEnvironment env,
      Clock clock,
      ScheduledExecutorService timers,
      Optional<HeartbeatService> heartbeats,
      Optional<ReplicationService> replication,
      Optional<VipService> vips) {
    this(env, clock, timers, heartbeats, replication, vips, Optional.empty());
  }

  ModuleFactory(
      NodeEnvironment env,
      Clock clock,
      ScheduledExecutorService timers,
      Optional<HeartbeatService> heartbeats,
      Optional<ReplicationService> replication,
      Optional<VipService> vips,
      Optional<FarmChannelService> farmChannels) {
    this(env, clock, timers, heartbeats, replication, vips, farmChannels, Optional.empty());
  }

  ModuleFactory(
      NodeEnvironment env,
      Clock clock,
      ScheduledExecutorService timers,
      Optional<HeartbeatService> heartbeats,
      Optional<ReplicationService> replication,
      Optional<VipService> vips,
      Optional<FarmChannelService> farmChannels,
      Optional<CheckerService> checkers) {
    this.checkers = checkers;
    this.farmChannels = farmChannels;
    this.env = env;
    this.clock = clock;
    this.timers = timers;
    this.heartbeats = heartbeats;
    this.replication = replication;
    this.vips = vips;
  }

  /**
   * @param config the module's parsed {@code userconfig.xml}
   * @param configured {@code SAFE/private/modules/AM}: scripts run from its {@code bin/}
   * @param cluster the applied cluster configuration, if any: it names this node
   * @param journal the module's log and resources
   */
  ModuleRuntime create(
      ModuleConfig config, Path configured, Optional<ClusterConfig> cluster, Journal journal) {
    String module = config.moduleName();
    ServiceConfig service = config.service();
    ServiceSettings settings =
        new ServiceSettings(
            localNodeName(cluster),
            // failover on|off survives a restart of the node (spec F.3)
            Toggles.failover(journal.currentValues(), service.failover()),
            service.defaultPrim(),
            service.maxloop(),
            service.loopInterval().toMillis());
    ModuleKind kind = ModuleKind.valueOf(service.mode().name());
    long now = clock.millis();
    FreshnessStore freshness =
        new FreshnessStore(env.directories().userVar(module).resolve("freshness.properties"));
    ModuleDriver automaton =
        kind == ModuleKind.MIRROR
            ? new MirrorDriver(
                    module,
                    settings,
                    heartConfig(config.heart()),
                    freshness.load(),
                    replicationPolicy(config, journal),
                    Incarnation.next(env.directories().userVar(module).resolve("incarnation"), now),
                    now)
                .withWitness(config.check().splitbrain().isPresent())
            : new FarmDriver(settings);
    Optional<User> user = config.user();
    ModuleRuntime runtime =
        new ModuleRuntime(
            module,
            config.moduleId(),
            kind,
            service.boot(),
            automaton,
            scripts(config, configured),
            niceStop(user),
            forceStop(user),
            journal,
            clock,
            timers);
    failover(config, runtime, journal);
    if (kind == ModuleKind.MIRROR) {
      runtime.persistFreshness(freshness);
      runtime.splitbrainWith(config.check().splitbrain(), witnesses);
      Optional<List<HeartbeatService.Link>> links =
          new HeartbeatLinks(env, journal)
              .of(config.moduleId(), config.heart(), cluster, localNodeName(cluster));
      links.ifPresent(l -> runtime.connect(heartbeats, l));
      if (config.rfs().isPresent()) {
        replication(config, cluster, links, runtime, journal);
      }
      config.vip().ifPresent(v -> vip(config, runtime, journal));
    } else if (kind == ModuleKind.FARM) {
      farm(config, cluster, runtime, journal);
    }
    checks(config, configured, runtime, journal);
    return runtime;
  }

  /** Where the split-brain witnesses are found (spec B.18); none until given. */
  void witnesses(java.util.function.Supplier<Optional<SplitBrainWitness>> w) {
    this.witnesses = w;
  }

  /**
   * The module's failover rules (spec B.19) on its loop. {@code confcheck} and {@code config}
   * refused rules that do not compile; only a configuration applied before they were compiled gets
   * here with errors: the module then runs without rules, and says so.
   */
  private static void failover(ModuleConfig config, ModuleRuntime runtime, Journal journal) {
    // The internal rules of replication are the machine's (docs/failover.md "Internal rules"),
    // for every mirror: its automaton keeps the data freshness with or without <rfs>, so a mirror
    // without <rfs> gets notuptodate_server too. degraded_server holds the peer of a primary
    // whose replication failed irrecoverably (rfs.degraded up, spec C.7) in WAIT.
    FailoverRules compiler = FailoverRules.forModule(config, "userconfig.xml");
    if (config.mode() == ServiceConfig.Mode.MIRROR && config.rfs().isEmpty()) {
      compiler.replication(true, false, false);
    }
    FailoverRules.Compiled rules = compiler.compile();
    if (!rules.ok()) {
      for (ConfigurationError e : rules.errors()) {
        journal.log(EventLevel.C, "failover", "Failover rules not applied: " + e.format());
      }
      return;
    }
    runtime.failoverWith(new FailoverLoop(new FailoverMachine(rules.orThrow())));
  }

  /**
   * Applies a configuration whose changes are all dynamic (spec B.0) to a running module: see
   * {@link LiveConfig} for what takes effect now. Completes once the runtime uses it.
   */
  CompletableFuture<LiveConfig> reconfigure(
      ModuleRuntime runtime, ModuleConfig before, ModuleConfig after, Path configured) {
    LiveConfig live = LiveConfig.between(before, after);
    Optional<User> user = after.user();
    Toggles.applied(runtime, after); // the maintenance toggles go back (spec F.3)
    if (!before.errd().equals(after.errd()) || !before.check().equals(after.check())) {
      checks(after, configured, runtime, runtime.journal());
    }
    if (after.service().mode() == before.service().mode()
        && !before.check().splitbrain().equals(after.check().splitbrain())) {
      // the witnesses change live; the question itself is decided at the module's creation
      runtime.splitbrainWith(after.check().splitbrain(), witnesses);
    }
    return runtime
        .reconfigure(
            scripts(after, configured),
            after.service().boot(),
            niceStop(user),
            forceStop(user),
            live.message())
        .thenApply(v -> live);
  }

  /** The checks of {@code <errd>} and {@code <check>} (spec B.10–B.18), on the executor. */
  private void checks(
      ModuleConfig config, Path configured, ModuleRuntime runtime, Journal journal) {
    CheckerWiring.open(
        checkers,
        config,
        configured.resolve("bin"),
        scriptEnvironment(config.moduleName(), config.user()),
        runtime,
        journal);
  }

  /** {@code <user nicestoptimeout>}, or the default. */
  private static Duration niceStop(Optional<User> user) {
    return user.map(User::nicestoptimeout).orElse(DEFAULT_STOP_TIMEOUT);
  }

  /** {@code <user forcestoptimeout>}, or the default. */
  private static Duration forceStop(Optional<User> user) {
    return user.map(User::forcestoptimeout).orElse(DEFAULT_STOP_TIMEOUT);
  }

  /** The module's scripts from {@code configured/bin}, with the environment of spec E.2. */
  private ScriptRunner scripts(ModuleConfig config, Path configured) {
    String module = config.moduleName();
    Optional<User> user = config.user();
    return new ScriptRunner(
        configured.resolve("bin"),
        env.directories().userVar(module),
        scriptEnvironment(module, user),
        user.map(User::userlog).orElse(true),
        config.runsScripts());
  }

  /**
   * The virtual IPs of a mirror module (spec B.6). Opening them removes what a killed run of the
   * module left set: the module is stopped now, it holds none.
   */
  private void vip(ModuleConfig config, ModuleRuntime runtime, Journal journal) {
    String module = config.moduleName();
    if (vips.isEmpty()) {
      journal.log(
          EventLevel.C, "vipplug", "No virtual IP service: the VIPs of " + module + " are not set");
      return;
    }
    VipSetup setup =
        new VipSetup(
            module, config.vip().get(), env.directories().userVar(module).resolve(VipSetup.RECORD));
    runtime.vipWith(vips.get().open(setup, runtime.vipEvents()));
  }

  /**
   * The membership of a farm module on its own loop, its lans bound now; its VIP and filter through
   * the vip bundle (spec D; docs/farm.md "wiring"). Opening the VIP removes what a killed run left:
   * the filter table and the recorded addresses.
   */
  private void farm(
      ModuleConfig config,
      Optional<ClusterConfig> cluster,
      ModuleRuntime runtime,
      Journal journal) {
    String module = config.moduleName();
    Optional<FarmWiring> wiring =
        FarmWiring.of(config, cluster, localNodeName(cluster), env.bindAddress(), journal);
    if (wiring.isEmpty()) {
      return;
    }
    Optional<FarmVip> vip = Optional.empty();
    if (config.vip().isPresent()) {
      if (vips.isEmpty()) {
        journal.log(
            EventLevel.C, "vipd", "No virtual IP service: the VIPs of " + module + " are not set");
      } else {
        VipSetup setup =
            new VipSetup(
                module,
                config.vip().get(),
                env.directories().userVar(module).resolve(VipSetup.RECORD));
        vip =
            Optional.of(
                vips.get()
                    .openFarm(
                        new FarmVipSetup(setup, wiring.get().addresses()), runtime.vipEvents()));
      }
    }
    long incarnation =
        Incarnation.next(env.directories().userVar(module).resolve("incarnation"), clock.millis());
    runtime
        .farmWith(
            new MembershipDriver(wiring.get().config(), incarnation),
            vip,
            config.vip().map(v -> v.scriptcontrol()).orElse(false))
        .open(farmChannels, wiring.get().links());
  }

  /**
   * Replication of a mirror module with {@code <rfs>} (spec B.7, G.9): between the two nodes'
   * addresses on the replication lan (the heartbeat of ident {@code flow}, else the first one), on
   * port 5600 + (id − 1) × 4.
   */
  private void replication(
      ModuleConfig config,
      Optional<ClusterConfig> cluster,
      Optional<List<HeartbeatService.Link>> links,
      ModuleRuntime runtime,
      Journal journal) {
    String module = config.moduleName();
    if (replication.isEmpty()) {
      journal.log(
          EventLevel.C, "nfsadmin", "No replication service: " + module + " not replicated");
      return;
    }
    if (links.isEmpty() || links.get().isEmpty()) {
      journal.log(EventLevel.C, "nfsadmin", "No replication lan: see the heartbeat errors above");
      return;
    }
    HeartbeatService.Link flow =
        links.get().stream()
            .filter(l -> l.ident().equals("flow"))
            .findFirst()
            .orElse(links.get().get(0));
    int port = replicationPort(config.moduleId());
    ReplicationSetup setup =
        new ReplicationSetup(
            module,
            localNodeName(cluster),
            config.rfs().get(),
            new InetSocketAddress(flow.local().getAddress(), port),
            new InetSocketAddress(flow.peer().getAddress(), port),
            env.directories().userVar(module).resolve("rfs"));
    runtime.replicateWith(replication.get().open(setup, runtime.replicationEvents()));
  }

  /**
   * syncdelta and syncat of the module's {@code <rfs>} (spec B.7, C.6, C.12), read in this node's
   * time zone. A syncdelta of one minute or less is ignored, as SafeKit does; it is said once in
   * the log so that the administrator knows it.
   */
  static ReplicationPolicy replicationPolicy(ModuleConfig config, Journal journal) {
    if (config.rfs().isEmpty()) {
      return ReplicationPolicy.NONE;
    }
    Rfs rfs = config.rfs().get();
    Optional<String> syncat = rfs.syncat();
    ReplicationPolicy policy;
    try {
      policy = ReplicationPolicy.of(rfs.syncdelta(), syncat, ZoneId.systemDefault());
    } catch (IllegalArgumentException e) {
      // checked when the configuration was parsed: only an older applied configuration gets here
      journal.log(EventLevel.C, "rfsplug", "syncat ignored: " + e.getMessage());
      policy = ReplicationPolicy.of(rfs.syncdelta(), Optional.empty(), ZoneId.systemDefault());
    }
    if (!rfs.syncdelta().isZero() && !policy.syncdelta()) {
      journal.log(
          EventLevel.I,
          "rfsplug",
          "syncdelta " + rfs.syncdelta().toMinutes() + " min ignored: it must exceed 1 min");
    }
    return policy;
  }

  /** Spec G.9: the replication port of a module. */
  static int replicationPort(int moduleId) {
    return 5600 + (moduleId - 1) * 4;
  }

  /** Spec E.2: the directories, then every {@code <user><var>}. */
  Map<String, String> scriptEnvironment(String module, Optional<User> user) {
    Map<String, String> vars = new LinkedHashMap<>(env.directories().scriptEnvironment(module));
    user.ifPresent(u -> u.vars().forEach(v -> vars.put(v.name(), v.value())));
    return vars;
  }

  /**
   * This node's name in cluster.xml: the node whose address on some lan is the node's bind address;
   * the host name when there is no cluster configuration or no such node.
   */
  String localNodeName(Optional<ClusterConfig> cluster) {
    if (cluster.isPresent()) {
      for (Lan lan : cluster.get().lans()) {
        for (Node node : lan.nodes()) {
          if (Node.host(node.addr()).equals(env.bindAddress())
              || node.name().equals(env.hostName())) {
            return node.name();
          }
        }
      }
    }
    return env.hostName();
  }

  static HeartConfig heartConfig(Optional<Heart> heart) {
    if (heart.isEmpty() || heart.get().heartbeats().isEmpty()) {
      return HeartConfig.of(HeartConfig.DEFAULT_PULSE, HeartConfig.DEFAULT_TIMEOUT, "0");
    }
    List<HeartConfig.Lan> lans =
        heart.get().heartbeats().stream()
            .map(h -> new HeartConfig.Lan(h.ident(), h.pulse().toMillis(), h.timeout().toMillis()))
            .toList();
    return new HeartConfig(lans);
  }
}
