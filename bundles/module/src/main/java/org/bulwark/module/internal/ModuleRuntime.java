package org.bulwark.module.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.SplitBrainWitness;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.rfs.ModuleReplication;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.api.vip.VipEvents;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.automaton.MirrorDriver;
import org.bulwark.automaton.ModuleDriver;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.PeerView;
import org.bulwark.automaton.Verb;
import org.bulwark.failover.Decision;
import org.bulwark.failover.FailoverAction;
import org.bulwark.heartbeat.HeartbeatChannel;
import org.bulwark.heartbeat.HeartbeatService;
import org.bulwark.module.internal.ScriptRunner.RunningScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One module on this node. One event-loop thread owns the automaton and the running scripts;
 * commands, script ends and ticks are enqueued on it, and the actions each step returns run in
 * order (DESIGN: runtime model). Other threads only read {@link #local()} and wait for states.
 */
final class ModuleRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleRuntime.class);

  final String name;
  final int id;
  final ModuleKind kind;

  private final Clock clock;
  private final Journal journal;
  // the parts a live reconfiguration replaces (spec B.0): written on the loop, read anywhere
  private volatile ServiceConfig.Boot boot;
  private volatile ScriptRunner scripts;
  private volatile Duration niceStop;
  private volatile Duration forceStop;
  private final ExecutorService loop;
  private final ExecutorService replicationSteps;
  private final ScheduledExecutorService timers;

  // confined to the loop thread
  private final ModuleDriver automaton;
  private final Map<Long, RunningScript> running = new HashMap<>();
  private ScheduledFuture<?> nextTick;
  private FailoverLoop rules;
  private ScheduledFuture<?> rulesTick;
  private boolean initHeld;
  private LocalState current;
  private FreshnessStore freshness;
  private HeartbeatChannel heartbeats;
  private ModuleReplication replication;
  // set once before the loop uses it, read on the loop and by safekit state -v (held() is
  // thread-safe)
  private volatile ModuleVip vip;
  // farm modules: set once before the loop uses it; its status is read by safekit
  private volatile FarmMembership farm;

  // vip@scriptcontrol of a farm module: a dynamic update closes its traffic; set before start
  private volatile boolean farmScriptControl;

  // written on the loop; other threads read its published copy
  private final ResourceTable resources;

  // published once every action of the step that changed it has run
  private volatile LocalState local;

  // when this runtime loaded the module, and the status published with local: its readyCount
  // counts the entries into a ready state (spec G.10), published together with the state so that
  // the health-check URL never shows a new ready state with the old count (spec B.17)
  private final long loaded;
  private volatile ModuleStatus status;
  // told of each published state (the REST API's server push); set before the loop runs
  private volatile Consumer<ModuleStatus> published = s -> {};

  // the module's checks (spec B.10-B.18): fed the published states and the usersetting.* values
  private volatile CheckerSession checkers = CheckerSession.NONE;
  private volatile Optional<Check.SplitBrain> splitbrain = Optional.empty();
  private volatile java.util.function.Supplier<Optional<SplitBrainWitness>> witnesses =
      Optional::empty;

  // internal errors of the driver or of an action: logged, counted, and the loop goes on
  private final AtomicLong internalErrors = new AtomicLong();

  private final Object waitersLock = new Object();

  // guarded by waitersLock
  private final List<Waiter> waiters = new ArrayList<>();
  private boolean closed;

  private record Waiter(Predicate<LocalState> until, CompletableFuture<LocalState> done) {}

  ModuleRuntime(
      String name,
      int id,
      ModuleKind kind,
      ServiceConfig.Boot boot,
      ModuleDriver automaton,
      ScriptRunner scripts,
      Duration niceStop,
      Duration forceStop,
      Journal journal,
      Clock clock,
      ScheduledExecutorService timers) {
    this.name = name;
    this.id = id;
    this.kind = kind;
    this.boot = boot;
    this.automaton = automaton;
    this.scripts = scripts;
    this.niceStop = niceStop;
    this.forceStop = forceStop;
    this.journal = journal;
    this.clock = clock;
    this.timers = timers;
    this.current = automaton.local();
    this.local = current;
    this.loaded = clock.millis();
    this.status = new ModuleStatus(name, id, kind, current, loaded, current.isHealthy() ? 1 : 0);
    this.resources = new ResourceTable(journal.currentValues());
    this.loop =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "module-" + name);
              t.setDaemon(true);
              return t;
            });
    this.replicationSteps =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "module-" + name + "-rfs");
              t.setDaemon(true);
              return t;
            });
    loop.execute(this::scheduleTick);
  }

  /**
   * A new configuration of the running module whose changes are all dynamic (spec B.0): the
   * scripts' environment and user logs, the stop timeouts and the boot setting take effect for what
   * starts after this call; a script that runs now ends with the old ones. {@code message} goes to
   * the module log.
   */
  CompletableFuture<Void> reconfigure(
      ScriptRunner scripts,
      ServiceConfig.Boot boot,
      Duration niceStop,
      Duration forceStop,
      String message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean queued =
        enqueue(
            () -> {
              this.scripts = scripts;
              this.boot = boot;
              this.niceStop = niceStop;
              this.forceStop = forceStop;
              journal.log(EventLevel.E, "safeadmin", message);
              runUpdate(new CompletableFuture<>());
              done.complete(null);
            });
    if (!queued) {
      done.completeExceptionally(removed());
    }
    return done.thenCompose(v -> journal.written()).thenApply(v -> null);
  }

  /**
   * The module's failover machine (spec B.19), evaluated on this loop every {@code period}; none
   * when the module's rules did not compile (an older applied configuration: said in the log).
   */
  void failoverWith(FailoverLoop machine) {
    enqueue(
        () -> {
          rules = machine;
          holdForInit(); // a resource set to init before a restart of the node
          long period = machine.periodMillis();
          try {
            rulesTick =
                timers.scheduleAtFixedRate(
                    () -> enqueue(this::evaluateRules), period, period, TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException closed) {
            LOG.debug("Module {}: timers closed, no failover rules", name);
          }
        });
  }

  /**
   * The module's resources now, sorted by name (spec B.20): {@code safekit get}, {@code state -v}.
   */
  java.util.Map<String, String> resources() {
    return resources.view();
  }

  /** Mirror modules: persist the data freshness at every change from now on. */
  /** Mirror modules: their {@code <splitbrain>} (spec B.18) and where its witnesses are asked. */
  void splitbrainWith(
      Optional<Check.SplitBrain> config,
      java.util.function.Supplier<Optional<SplitBrainWitness>> asked) {
    this.witnesses = asked;
    this.splitbrain = config;
  }

  void persistFreshness(FreshnessStore store) {
    enqueue(() -> freshness = store);
  }

  /**
   * Mirror modules with {@code <rfs>}: their replication, driven from the plans (spec B.7). Its
   * operations run on a thread of their own (a mount, an unmount waiting for holders) and end as
   * the automaton's awaited steps; its reports come back on this loop.
   */
  void replicateWith(ModuleReplication replication) {
    enqueue(() -> this.replication = replication);
  }

  /**
   * Mirror modules with {@code <vip>}: their virtual IPs, set and removed from the plans (spec
   * B.6). Each operation runs off the loop, on the thread of the replication steps (a plan awaits
   * one step at a time, so they never overlap), and ends as the automaton's awaited step.
   */
  void vipWith(ModuleVip vip) {
    this.vip = vip;
  }

  /**
   * Farm modules (spec D): the membership driven on this loop, with the VIP and kernel filter it
   * programs ({@code vip} empty without {@code <vip>}). The traffic opens and closes at the plans'
   * VIP steps (spec D.4).
   */
  FarmMembership farmWith(
      org.bulwark.automaton.farm.MembershipDriver driver,
      Optional<org.bulwark.api.vip.FarmVip> vip) {
    return farmWith(driver, vip, false);
  }

  /**
   * As {@link #farmWith(org.bulwark.automaton.farm.MembershipDriver, Optional)}; with {@code
   * scriptControl} ({@code vip@scriptcontrol="on"}) a dynamic update closes the traffic before the
   * {@code update} script, which reopens it (spec B.6, D.4).
   */
  FarmMembership farmWith(
      org.bulwark.automaton.farm.MembershipDriver driver,
      Optional<org.bulwark.api.vip.FarmVip> vip,
      boolean scriptControl) {
    this.farmScriptControl = scriptControl && vip.isPresent();
    FarmMembership m =
        new FarmMembership(
            name,
            driver,
            vip,
            journal,
            clock,
            timers,
            this::enqueue,
            replicationSteps,
            r -> resourceSet(r.name(), r.value(), r.by(), ResourceTable.History.ALWAYS, null));
    this.farm = m;
    return m;
  }

  /** The farm membership of a farm module, empty for a mirror. */
  Optional<FarmMembership> farm() {
    return Optional.ofNullable(farm);
  }

  /** The virtual IPs this module holds now on this node ({@code 10.0.0.10 on eth0}). */
  List<String> virtualIps() {
    FarmMembership f = farm;
    if (f != null) {
      return f.held();
    }
    ModuleVip v = vip;
    return v == null ? List.of() : v.held();
  }

  /**
   * What the virtual IPs of this module report: lines for its log, the {@code ip.*} resources, and
   * the stopstart of {@code ip_failure} (spec B.15), as a checker's action.
   */
  VipEvents vipEvents() {
    return new VipEvents() {
      @Override
      public void log(EventLevel level, String component, String message) {
        journal.log(level, component, message);
      }

      @Override
      public void resource(String resource, String value, String by) {
        enqueue(
            () -> {
              // connections.<vip> is indicative and changes often: verbose log only
              EventLevel level = resource.startsWith("connections.") ? EventLevel.I : EventLevel.E;
              resourceSet(resource, value, by, ResourceTable.History.ALWAYS, level);
              holdForInit();
            });
      }

      @Override
      public void stopstart(String rule) {
        command(Verb.STOPSTART, Origin.rule(rule), "")
            .thenAccept(
                reply -> {
                  if (!reply.accepted()) {
                    journal.log(
                        EventLevel.W,
                        "vipplug",
                        "stopstart of failover rule " + rule + " refused: " + reply.message());
                  }
                });
      }
    };
  }

  /** What the replication of this module reports, handed over to the loop. */
  ReplicationEvents replicationEvents() {
    return new ReplicationReports();
  }

  /**
   * The module's checks from now on, replacing (and closing) those it had: a new configuration of
   * {@code <errd>} or {@code <check>} (dynamic, spec B.0). They see the current state at once.
   */
  void checkWith(CheckerSession session) {
    enqueue(
        () -> {
          CheckerSession previous = checkers;
          checkers = session;
          previous.close();
          session.state(local);
        });
  }

  Journal journal() {
    return journal;
  }

  /** The module's checks ({@code safekit errd list|enable|disable}). */
  CheckerSession checkers() {
    return checkers;
  }

  /** Exceptions thrown by the driver or an action since the module was loaded. */
  long internalErrors() {
    return internalErrors.get();
  }

  LocalState local() {
    return local;
  }

  /** Who is told of each published state from now on (see {@link #notifyWaiters()}). */
  void publishTo(Consumer<ModuleStatus> sink) {
    published = sink;
  }

  ModuleStatus status() {
    return status;
  }

  /**
   * Mirror modules: opens the heartbeat endpoints (spec B.4) and feeds what arrives to the
   * automaton on this module's loop. When they cannot be opened the reason is logged and the module
   * runs deaf: its peer is never heard, so it can only start alone with {@code prim} (spec C.3).
   */
  void connect(Optional<HeartbeatService> service, List<HeartbeatService.Link> links) {
    if (service.isEmpty()) {
      journal.log(EventLevel.E, "heart", "No heartbeat can be sent: no heartbeat service");
      return;
    }
    try {
      HeartbeatChannel channel = service.get().open(name, links, this::heartbeatReceived);
      enqueue(() -> heartbeats = channel);
      LOG.info("Module {}: heartbeats on {}", name, links);
    } catch (IOException e) {
      journal.log(EventLevel.E, "heart", "No heartbeat can be sent: " + e.getMessage());
    }
  }

  /** On the heartbeat I/O thread: only hands the message to the loop. */
  private void heartbeatReceived(String ident, HeartbeatMessage message) {
    enqueue(
        () -> {
          if (rules != null) {
            rules.received(message);
          }
          step("heartbeat", () -> automaton.heartbeat(ident, message, clock.millis()));
          if (replication == null) {
            nothingToCopy();
          }
        });
  }

  /**
   * Without {@code <rfs>} there is nothing to copy: a secondary that learnt from its primary's
   * heartbeat that its data are older (the primary went on alone, in a new generation, then took it
   * back) is synchronised again at once, as when it started ({@link #replicate}). Otherwise it
   * would stay SECOND Transient, and wait instead of taking over when that primary fails.
   */
  private void nothingToCopy() {
    if (automaton.local().state() == ModuleState.SECOND
        && automaton.data().map(d -> !d.uptodate()).orElse(false)) {
      step("reintegration", () -> automaton.reintegration(true, clock.millis()));
    }
  }

  /**
   * Runs an administrative command; completes with the automaton's answer once what the command
   * logged is in the journal, or with an error if the module is closed or its automaton failed.
   */
  CompletableFuture<Action.Reply> command(Verb verb, Origin origin, String argument) {
    return command(verb, origin, argument, List.of());
  }

  /**
   * A command; a {@code restart} may name {@code services} (errd's {@code restart_services}, spec
   * B.10): the automaton's restart plan gives its scripts {@code -Services "S1, S2"} (spec E.2).
   */
  CompletableFuture<Action.Reply> command(
      Verb verb, Origin origin, String argument, List<String> services) {
    CompletableFuture<Action.Reply> answer = new CompletableFuture<>();
    Event.Command command = new Event.Command(verb, origin, argument, services);
    boolean queued =
        enqueue(
            () -> {
              List<Action> actions =
                  step("command " + verb.word(), () -> automaton.command(command, clock.millis()));
              if (actions == null) {
                answer.completeExceptionally(
                    new IllegalStateException(
                        "internal error of module "
                            + name
                            + " on "
                            + verb.word()
                            + ": see its log"));
                return;
              }
              answer.complete(
                  actions.stream()
                      .filter(Action.Reply.class::isInstance)
                      .map(Action.Reply.class::cast)
                      .findFirst()
                      .orElse(new Action.Reply(verb, true, verb.word() + " accepted")));
            });
    if (!queued) {
      answer.completeExceptionally(removed());
    }
    return answer.thenCompose(reply -> journal.written().thenApply(written -> reply));
  }

  /**
   * Completes when the local state satisfies {@code until} (at once if it does already), once the
   * log lines of the step that reached it are written; completes with {@link
   * ModuleRemovedException} if the module is removed first.
   */
  CompletableFuture<LocalState> await(Predicate<LocalState> until) {
    CompletableFuture<LocalState> done = new CompletableFuture<>();
    synchronized (waitersLock) {
      LocalState now = local;
      if (until.test(now)) {
        done.complete(now);
      } else if (closed) {
        done.completeExceptionally(removed());
      } else {
        waiters.add(new Waiter(until, done));
      }
    }
    return done.thenCompose(state -> journal.written().thenApply(written -> state));
  }

  private ModuleRemovedException removed() {
    return new ModuleRemovedException(name);
  }

  /**
   * Whether the module starts with the node: {@code service@boot="on"|"off"} decide; {@code auto}
   * when it was running as the node stopped; otherwise ({@code ignore}) the persistent {@code
   * safekit boot on|off} (spec B.3, F.3).
   */
  boolean bootEnabled() {
    if (boot == ServiceConfig.Boot.AUTO) {
      return journal.wasRunning();
    }
    return switch (boot) {
      case ON -> true;
      case OFF -> false;
      case IGNORE, AUTO -> "on".equals(resources.current().get("usersetting.boot"));
    };
  }

  /**
   * {@code safekit set -r}, the maintenance toggles, the checkers: a resource value, logged when it
   * changes (spec B.20). The one entry point of resources from outside the module. Completes once
   * the value is in the store.
   */
  CompletableFuture<Void> setResource(String resource, String value, String by) {
    return setResource(resource, value, by, ResourceTable.History.CHANGES);
  }

  /** The same, {@code -n} ({@link ResourceTable.History#NONE}) or {@code -l} ({@code ALWAYS}). */
  CompletableFuture<Void> setResource(
      String resource, String value, String by, ResourceTable.History history) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean queued =
        enqueue(
            () -> {
              resourceGiven(resource, value, by, history);
              journal.written().thenRun(() -> done.complete(null));
            });
    if (!queued) {
      done.completeExceptionally(removed());
    }
    return done;
  }

  /**
   * On the loop: a resource given from outside, by {@code safekit set} or a failover rule's
   * assignment. The automaton follows the values it decides with ({@link
   * MirrorDriver#READ_BY_AUTOMATON}).
   */
  private void resourceGiven(
      String resource, String value, String by, ResourceTable.History history) {
    resourceSet(resource, value, by, history, EventLevel.E);
    checkers.resourceSet(resource, value);
    holdForInit();
    if (MirrorDriver.READ_BY_AUTOMATON.contains(resource)) {
      // rfs.syncat up: synchronise now (spec C.12); the automaton follows the value
      step("set " + resource, () -> automaton.resource(resource, value, by, clock.millis()));
    }
  }

  /**
   * A line from a script or an administrator ({@code safekit printi|printw|printe}); completes once
   * it is in the log.
   */
  CompletableFuture<Void> print(EventLevel level, String component, String message) {
    journal.log(level, component, message);
    return journal.written();
  }

  /**
   * Stops the module (as {@code shutdown} does) and ends its event loop; waits at most {@code
   * limit} for STOP, then kills what still runs.
   */
  void close(Duration limit) {
    if (loop.isShutdown()) {
      return; // closed already
    }
    try {
      if (local.state() != ModuleState.STOP) {
        command(Verb.SHUTDOWN, Origin.admin("SYSTEM"), "");
        await(s -> s.state() == ModuleState.STOP).get(limit.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Module {} did not stop within {}: killing its scripts", name, limit);
    }
    failWaiters();
    checkers.close();
    CompletableFuture<Void> drained =
        CompletableFuture.runAsync(
            () -> {
              running.values().forEach(RunningScript::killGroup);
              running.clear();
              if (nextTick != null) {
                nextTick.cancel(false);
              }
              if (rulesTick != null) {
                rulesTick.cancel(false);
              }
              // after the STOP heartbeat went out, so that the peer saw a remote stop (spec C.2)
              if (heartbeats != null) {
                heartbeats.close();
                heartbeats = null;
              }
              if (farm != null) {
                farm.close(); // after the leave pulses of the stop
              }
            },
            loop);
    try {
      drained.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Module {}: event loop did not drain", name, e);
    }
    loop.shutdownNow();
    replicationSteps.shutdown();
    try {
      replicationSteps.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ModuleReplication rfs = replication;
    if (rfs != null) {
      try {
        rfs.close(); // a module removed in a role leaves nothing mounted or listening
      } catch (IOException e) {
        LOG.warn("Module {}: replication did not close cleanly", name, e);
      }
    }
    ModuleVip addresses = vip;
    if (addresses != null) {
      addresses.close();
    }
  }

  /** Every waiter is answered: the module is gone, nothing it waits for can happen any more. */
  private void failWaiters() {
    List<Waiter> left;
    synchronized (waitersLock) {
      closed = true;
      left = List.copyOf(waiters);
      waiters.clear();
    }
    left.forEach(w -> w.done.completeExceptionally(removed()));
  }

  /** The longest a stop may take: both stop timeouts plus a margin for the rest. */
  Duration stopLimit() {
    return niceStop.plus(forceStop).plus(Duration.ofSeconds(30));
  }

  // ---- on the loop thread from here on

  /**
   * One step of the automaton: its actions run in order. Whatever throws — the driver or an action
   * — is logged and counted, and the module goes on: the next tick is always scheduled, so a dead
   * peer is still timed out (issue 13). Returns the actions, or null when the driver threw.
   */
  private List<Action> step(String event, Supplier<List<Action>> driver) {
    List<Action> actions = null;
    try {
      actions = driver.get();
    } catch (RuntimeException e) {
      internalError(event, e);
    }
    execute(actions == null ? List.of() : actions);
    return actions;
  }

  private void execute(List<Action> actions) {
    try {
      for (Action action : actions) {
        try {
          perform(action);
        } catch (RuntimeException e) {
          internalError(action.getClass().getSimpleName() + " " + action, e);
        }
      }
      if (freshness != null) {
        automaton.data().ifPresent(d -> freshness.save(d, current.state() != ModuleState.STOP));
      }
    } catch (RuntimeException e) {
      internalError("saving the data freshness", e);
    } finally {
      states();
      holdForInit();
      // waiters see a state once every action of its step (its log lines) is done
      notifyWaiters();
      scheduleTick();
    }
  }

  private void internalError(String event, RuntimeException e) {
    long count = internalErrors.incrementAndGet();
    LOG.error("Module {}: internal error #{} on {}; the module goes on", name, count, event, e);
    journal.log(
        EventLevel.C,
        "safeadmin",
        "Internal error #" + count + " on " + event + ": " + e + " (the module goes on)");
  }

  private void perform(Action action) {
    if (action instanceof Action.RunScript s) {
      runScript(s);
    } else if (action instanceof Action.KillScripts) {
      killScripts();
    } else if (action instanceof Action.Log l) {
      journal.log(l.level(), l.component(), l.message());
    } else if (action instanceof Action.SetResource r) {
      // splitbrain.uptodate is said in the module log, as its checker's other resource (spec C.8)
      EventLevel level = r.name().startsWith("splitbrain.") ? EventLevel.E : null;
      resourceSet(r.name(), r.value(), r.by(), ResourceTable.History.ALWAYS, level);
    } else if (action instanceof Action.StateChanged c) {
      stateChanged(c.state());
    } else if (action instanceof Action.Reply) {
      // answered by command()
    } else if (action instanceof Action.SendHeartbeat h) {
      if (heartbeats != null) {
        heartbeats.send(rules == null ? h.message() : rules.outgoing(h.message(), resources));
      }
    } else if (action instanceof Action.Replication r) {
      replicate(r);
    } else if (action instanceof Action.Vip v) {
      address(v);
    } else if (action instanceof Action.AskWitness w) {
      askWitness(w);
    } else {
      LOG.debug("Module {}: {} not handled by this node yet", name, action);
    }
  }

  /**
   * The virtual IPs set or removed, off the loop; the end is fed back like a script's. A farm
   * module opens its traffic here (VIP, closed filter, then the membership joins) or closes it
   * (membership leaves, filter closed, VIP removed): spec D.4. Without {@code <vip>} the step ends
   * at once.
   */
  private void address(Action.Vip v) {
    FarmMembership f = farm;
    if (f != null) {
      java.util.function.Consumer<String> done =
          failure -> {
            if (failure != null && !v.set()) {
              journal.log(EventLevel.E, "vipd", failure);
            }
            addressDone(v, failure);
          };
      if (v.set()) {
        f.join(done);
      } else {
        f.leave(done);
      }
      return;
    }
    if (vip == null) {
      enqueue(() -> step("virtual IP", () -> automaton.scriptDone(v.token(), 0, clock.millis())));
      return;
    }
    ModuleVip addresses = vip;
    replicationSteps.execute(
        () -> {
          String failure = null;
          try {
            if (v.set()) {
              addresses.set();
            } else {
              addresses.remove();
            }
          } catch (IOException e) {
            failure = e.getMessage(); // the service's message names the address and why
          } catch (RuntimeException e) {
            failure = e.toString();
            LOG.warn("Module {}: virtual IP {} failed", name, v.set() ? "set" : "removal", e);
          }
          String failed = failure;
          enqueue(() -> addressDone(v, failed));
        });
  }

  /**
   * Every heartbeat is lost: the witnesses of {@code <splitbrain>} are pinged off the loop (spec
   * C.8); {@code splitbrain.<ident>} is set from the answer, which ends the automaton's question
   * like a script (0: reached). A {@code <splitbrain>} removed by a live {@code config} answers as
   * if there were no witness; a checker bundle that is not installed answers not reached, and says
   * why.
   */
  private void askWitness(Action.AskWitness w) {
    Optional<Check.SplitBrain> config = splitbrain;
    if (config.isEmpty()) {
      enqueue(() -> step("witness", () -> automaton.scriptDone(w.token(), 0, clock.millis())));
      return;
    }
    Check.SplitBrain sb = config.get();
    Optional<SplitBrainWitness> asked = witnesses.get();
    replicationSteps.execute(
        () -> {
          ProbeResult r;
          if (asked.isEmpty()) {
            r =
                ProbeResult.down(
                    "the splitbrain checker is not installed (feature bulwark-checker-splitbrain)");
          } else {
            try {
              r = asked.get().ask(sb.witnesses());
            } catch (RuntimeException e) {
              LOG.warn("Module {}: the splitbrain witness failed", name, e);
              r = ProbeResult.down(e.toString());
            }
          }
          ProbeResult answer = r;
          enqueue(() -> witnessAnswered(sb, w, answer));
        });
  }

  private void witnessAnswered(Check.SplitBrain sb, Action.AskWitness w, ProbeResult answer) {
    journal.log(
        EventLevel.E,
        SPLITBRAINCHECK,
        (answer.up() ? "Witness reached: " : "Witness not reached: ") + answer.detail());
    resourceSet(
        "splitbrain." + sb.ident(),
        answer.up() ? "up" : "down",
        SPLITBRAINCHECK,
        ResourceTable.History.ALWAYS,
        EventLevel.E);
    step("witness", () -> automaton.scriptDone(w.token(), answer.up() ? 0 : 1, clock.millis()));
  }

  private void addressDone(Action.Vip v, String failure) {
    if (failure != null && v.set()) {
      journal.log(EventLevel.E, "vipplug", failure);
      // Clients reach the application only through its VIP: it must not start without it. The
      // stop runs instead of the rest of the start, as for a directory that cannot be served.
      step(
          "virtual IP failure",
          () ->
              automaton.command(
                  new Event.Command(Verb.STOP, Origin.identity("vipplug"), ""), clock.millis()));
    }
    // a failed removal was logged by the service; the stop goes on (the next start cleans)
    step(
        "virtual IP",
        () -> automaton.scriptDone(v.token(), failure == null ? 0 : 1, clock.millis()));
  }

  /**
   * A replication step of a plan, run off the loop; its end is fed back like a script's. Without
   * {@code <rfs>} there is nothing to serve or copy: each step ends at once, and a secondary is
   * synchronised as soon as it starts.
   */
  private void replicate(Action.Replication r) {
    if (replication == null) {
      enqueue(() -> step("replication", () -> automaton.scriptDone(r.token(), 0, clock.millis())));
      if (r.op() == Action.ReplicationOp.START_SECONDARY) {
        enqueue(() -> step("reintegration", () -> automaton.reintegration(true, clock.millis())));
      }
      if (r.op() == Action.ReplicationOp.START_PRIMARY
          || r.op() == Action.ReplicationOp.DETACH_SECONDARY) {
        // no session to wait for: a secondary is attached as soon as it says SECOND (spec C.2)
        enqueue(
            () -> step("secondary attached", () -> automaton.secondaryAttached(clock.millis())));
      }
      return;
    }
    ModuleReplication rfs = replication;
    replicationSteps.execute(
        () -> {
          String failure = null;
          try {
            switch (r.op()) {
              case START_PRIMARY -> rfs.startPrimary("fullsync".equals(r.argument()));
              case STOP_PRIMARY ->
                  rfs.stopPrimary("force".equals(r.argument()) ? Duration.ZERO : niceStop);
              case START_SECONDARY -> rfs.startSecondary(r.argument());
              case STOP_SECONDARY -> rfs.stopSecondary(niceStop);
              case DETACH_SECONDARY -> rfs.detachSecondary();
              case ATTACH_SECONDARY -> {
                // the replication follows its secondary's connection itself
              }
            }
          } catch (IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("Module {}: replication {} failed", name, r.op(), e);
          }
          String failed = failure;
          enqueue(() -> replicationDone(r, failed));
        });
  }

  private void replicationDone(Action.Replication r, String failure) {
    if (failure != null) {
      journal.log(EventLevel.E, "nfsadmin", "Replication " + r.op() + " failed: " + failure);
      boolean starting =
          r.op() == Action.ReplicationOp.START_PRIMARY
              || r.op() == Action.ReplicationOp.START_SECONDARY;
      if (starting) {
        // The application must not start on a directory that is not served: the stop runs
        // instead of the rest of the start (a stop taken during a transition, spec F.3).
        step(
            "replication failure",
            () ->
                automaton.command(
                    new Event.Command(Verb.STOP, Origin.identity("nfsadmin"), ""), clock.millis()));
      }
    }
    step(
        "replication",
        () -> automaton.scriptDone(r.token(), failure == null ? 0 : 1, clock.millis()));
  }

  /** The replication's reports, on the loop. */
  private final class ReplicationReports implements ReplicationEvents {
    @Override
    public void log(EventLevel level, String component, String message) {
      journal.log(level, component, message);
    }

    @Override
    public void resource(String resource, String value) {
      enqueue(
          () -> {
            resourceSet(resource, value, "nfsadmin", ResourceTable.History.ALWAYS, EventLevel.E);
            holdForInit();
          });
    }

    @Override
    public void measured(String resource, String value) {
      enqueue(
          () -> {
            resourceSet(resource, value, "nfsadmin", ResourceTable.History.NONE, null);
            holdForInit();
          });
    }

    @Override
    public void progress(String resource, String value) {
      enqueue(
          () -> {
            resourceSet(resource, value, "nfsadmin", ResourceTable.History.CHANGES, null);
            holdForInit();
          });
    }

    @Override
    public void reintegrationEnded(boolean ok, String detail) {
      enqueue(() -> step("reintegration", () -> automaton.reintegration(ok, clock.millis())));
    }

    @Override
    public void replicationLost(String reason) {
      enqueue(
          () -> step("replication lost", () -> automaton.replicationLost(reason, clock.millis())));
    }

    @Override
    public void reintegrationStarted() {
      enqueue(
          () -> step("reintegration start", () -> automaton.reintegrationStarted(clock.millis())));
    }

    @Override
    public CompletableFuture<Void> degraded(String reason) {
      CompletableFuture<Void> announced = new CompletableFuture<>();
      boolean queued =
          enqueue(
              () -> {
                // the step's actions include the heartbeat with the new generation
                step("degraded", () -> automaton.degraded(reason, clock.millis()));
                announced.complete(null);
              });
      if (!queued) {
        announced.complete(null);
      }
      return announced;
    }

    @Override
    public void secondaryAttached() {
      enqueue(() -> step("secondary attached", () -> automaton.secondaryAttached(clock.millis())));
    }

    @Override
    public CompletableFuture<Integer> runCallback(String callback) {
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      if (!enqueue(() -> startCallback(callback, exit))) {
        exit.completeExceptionally(removed());
      }
      return exit;
    }

    @Override
    public void stopstart(String reason) {
      // spec B.7 checktime: as an errd or a checker would, with the identity in the Action line
      command(Verb.STOPSTART, Origin.identity("nfsadmin"), "")
          .thenAccept(
              reply -> {
                if (!reply.accepted()) {
                  journal.log(
                      EventLevel.W,
                      "nfsadmin",
                      "Restart after \"" + reason + "\" refused: " + reply.message());
                }
              });
    }
  }

  /** The script run at a live reconfiguration of a module in a stable running state (spec E.1). */
  static final String UPDATE = "update";

  static final String SPLITBRAINCHECK = "splitbraincheck";

  /** The script of the {@code _rfs_*} callbacks, whose first argument names one (spec E.7). */
  static final String RFS_CALLBACK = "_rfs_callback";

  // confined to the loop; negative, so never the token of an automaton's script
  private long callbackTokens;

  /**
   * Starts {@code SAFEUSERBIN/_rfs_callback <callback>} as the other scripts run (environment, user
   * log, process group; killed by forcestop and when the module is removed), and completes {@code
   * exit} with its exit code. No bound on its duration: as start scripts, callbacks have none
   * documented (spec E.2).
   */
  private void startCallback(String callback, CompletableFuture<Integer> exit) {
    startAside(RFS_CALLBACK, List.of(callback), RFS_CALLBACK + " " + callback, exit);
  }

  /**
   * Starts a script outside the automaton's plans (a callback, {@code update}) as {@link
   * #startCallback} says, completing {@code exit} with its exit code; a missing one is skipped.
   */
  private void startAside(
      String name, List<String> args, String label, CompletableFuture<Integer> exit) {
    if (!scripts.exists(name)) {
      exit.complete(0); // missing scripts are skipped (spec E.4)
      return;
    }
    journal.log(EventLevel.S, "userplug", "Script " + label);
    RunningScript script;
    try {
      script = scripts.start(name, args, clock.instant()).orElseThrow();
    } catch (IOException | java.util.NoSuchElementException e) {
      journal.log(EventLevel.E, "userplug", "Script " + label + " cannot run: " + e.getMessage());
      exit.complete(127);
      return;
    }
    long token = --callbackTokens;
    running.put(token, script);
    script
        .process
        .onExit()
        .thenAccept(
            p -> {
              int code = p.exitValue();
              boolean queued =
                  enqueue(
                      () -> {
                        running.remove(token);
                        journal.log(
                            code == 0 ? EventLevel.I : EventLevel.W,
                            "userplug",
                            "Script "
                                + label
                                + " ended with exit code "
                                + code
                                + " ("
                                + script.logName()
                                + ")");
                        exit.complete(code);
                      });
              if (!queued) {
                exit.complete(code); // the module is gone: whoever waits is not left hanging
              }
            });
  }

  /**
   * {@code safekit update -m AM} (spec F.3, E.1): the module's {@code update} script, in UP or
   * ALONE Ready; completes with its exit code, or fails when the module is in another state.
   */
  CompletableFuture<Integer> update(String actor) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    boolean queued =
        enqueue(
            () -> {
              ModuleState s = local.state();
              if ((s == ModuleState.UP || s == ModuleState.ALONE)
                  && local.readiness() == Readiness.READY) {
                journal.log(EventLevel.U, "safeadmin", "Action update called by " + actor);
                runUpdate(exit);
              } else {
                exit.completeExceptionally(
                    new IllegalStateException(
                        "update refused: module "
                            + name
                            + " is "
                            + local
                            + ", not UP or ALONE Ready"));
              }
            });
    if (!queued) {
      exit.completeExceptionally(removed());
    }
    // answered once its line (Action update called by …) is in the log, as commands are
    return exit.thenCompose(code -> journal.written().thenApply(written -> code));
  }

  /**
   * A maintenance toggle was given ({@code failover|checker|errd|boot on|off}, spec F.3): its side
   * effect is the module's {@code update} script when the module runs in a stable state, as after a
   * live configuration; in any other state nothing runs. The command does not wait for it.
   */
  void toggled() {
    enqueue(() -> runUpdate(new CompletableFuture<>()));
  }

  /**
   * Starts the {@code update} script when the module is in a stable running state, with that state
   * twice (spec E.1); in any other state nothing runs and {@code exit} stays incomplete.
   */
  private void runUpdate(CompletableFuture<Integer> exit) {
    if (local.readiness() != Readiness.READY || local.state() == ModuleState.STOP) {
      return;
    }
    if (farm != null && farmScriptControl && local.state() == ModuleState.UP) {
      // spec B.6 scriptcontrol, D.4: a dynamic update restarts SafeKit's vipd, which keeps the
      // traffic closed until the update script opens it (SETGROUPS all all all)
      journal.log(
          EventLevel.I,
          "vipd",
          "Farm traffic closed for the update: the update script reopens it (scriptcontrol)");
      farm.setGroups(false)
          .whenComplete(
              (v, failed) -> {
                if (!enqueue(() -> startUpdateScript(exit))) {
                  exit.completeExceptionally(removed());
                }
              });
      return;
    }
    startUpdateScript(exit);
  }

  private void startUpdateScript(CompletableFuture<Integer> exit) {
    if (local.readiness() != Readiness.READY || local.state() == ModuleState.STOP) {
      exit.completeExceptionally(
          new IllegalStateException("update not run: module " + name + " is now " + local));
      return;
    }
    String state = local.state().name();
    startAside(UPDATE, List.of(state, state, "update"), UPDATE, exit);
  }

  private void runScript(Action.RunScript s) {
    if (!scripts.exists(s.name())) {
      // missing scripts are skipped (spec E.4); answer on a later turn to keep the order
      enqueue(() -> step("script end", () -> automaton.scriptDone(s.token(), 0, clock.millis())));
      return;
    }
    // logged before it starts, so that what the script prints comes after this line
    journal.log(EventLevel.S, "userplug", "Script " + s.name());
    RunningScript script;
    try {
      script = scripts.start(s.name(), s.args(), clock.instant()).orElseThrow();
    } catch (IOException | java.util.NoSuchElementException e) {
      journal.log(
          EventLevel.E, "userplug", "Script " + s.name() + " cannot run: " + e.getMessage());
      enqueue(() -> step("script end", () -> automaton.scriptDone(s.token(), 127, clock.millis())));
      return;
    }
    running.put(s.token(), script);
    Duration timeout = timeoutOf(s);
    ScheduledFuture<?> killer =
        timeout == null
            ? null
            : timers.schedule(
                () -> enqueue(() -> timedOut(s, script, timeout)),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    script
        .process
        .onExit()
        .thenAccept(
            p ->
                enqueue(
                    () -> {
                      if (killer != null) {
                        killer.cancel(false);
                      }
                      scriptEnded(s, p.exitValue());
                    }));
  }

  /**
   * Stop scripts are bounded by nicestoptimeout, their forced call by forcestoptimeout (spec B.8,
   * E.2); start scripts have no documented bound.
   */
  private Duration timeoutOf(Action.RunScript s) {
    if (!s.name().startsWith("stop_") && !s.name().equals("poststop")) {
      return null;
    }
    return !s.args().isEmpty() && s.args().get(0).equals("force") ? forceStop : niceStop;
  }

  private void timedOut(Action.RunScript s, RunningScript script, Duration timeout) {
    if (running.get(s.token()) != script) {
      return;
    }
    journal.log(
        EventLevel.E,
        "userplug",
        "Script " + s.name() + " timed out after " + timeout.toSeconds() + "s: killed");
    script.killGroup();
  }

  private void scriptEnded(Action.RunScript s, int exitCode) {
    RunningScript script = running.remove(s.token());
    if (script == null) {
      return;
    }
    journal.log(
        exitCode == 0 ? EventLevel.I : EventLevel.W,
        "userplug",
        "Script " + s.name() + " ended with exit code " + exitCode + " (" + script.logName() + ")");
    step("script end", () -> automaton.scriptDone(s.token(), exitCode, clock.millis()));
  }

  private void killScripts() {
    for (RunningScript script : running.values()) {
      journal.log(EventLevel.E, "userplug", "Script " + script.name + " killed by forcestop");
      script.killGroup();
    }
  }

  private void stateChanged(LocalState state) {
    current = state;
  }

  /**
   * The one place a resource changes on the loop (spec B.20): the table the rules read, the history
   * as {@code history} says, and the log line {@code Resource x set to v by who} at {@code level}
   * (none when null).
   */
  private void resourceSet(
      String name, String value, String by, ResourceTable.History history, EventLevel level) {
    boolean changed = resources.put(name, value);
    if (history == ResourceTable.History.NONE
        || (history == ResourceTable.History.CHANGES && !changed)) {
      return;
    }
    journal.resource(name, value, by);
    if (level != null) {
      journal.log(level, by, "Resource " + name + " set to " + value + " by " + by);
    }
  }

  /**
   * {@code state.local} and {@code state.remote} (spec B.20), the bare states the rules compare
   * ({@code state.local == WAIT}); the peer's is {@code UNKNOWN} while it is not heard from.
   */
  private void states() {
    resourceSet(
        "state.local", current.state().name(), "safeadmin", ResourceTable.History.CHANGES, null);
    PeerView peer = peer();
    if (peer != null) {
      resourceSet(
          "state.remote",
          peer.remoteLabel().state().name(),
          "heart",
          ResourceTable.History.CHANGES,
          null);
    }
  }

  /**
   * Spec B.11: while a resource read by a wait rule is {@code init} the automaton holds WAIT
   * Transient; it is told at every change (a step of its own, after the one that changed it).
   */
  private void holdForInit() {
    if (rules == null) {
      return;
    }
    List<String> pending = rules.pendingInit(resources.current());
    boolean held = !pending.isEmpty();
    if (held == initHeld) {
      return;
    }
    initHeld = held;
    if (held) {
      journal.log(EventLevel.I, "failover", "Waiting for the first answer of " + pending);
    }
    step("init", () -> automaton.initPending(held, clock.millis()));
  }

  /** The mirror peer as the heartbeats show it; null for a farm module. */
  private PeerView peer() {
    return automaton instanceof MirrorDriver mirror ? mirror.state().peer() : null;
  }

  /**
   * One evaluation of the failover rules (docs/failover.md "Wiring"): an assignment sets its
   * resource, a command goes to the automaton with the rule as its origin, as {@code safekit wait
   * -i rule} would; the automaton logs {@code Action … from failover rule …} and the transition.
   */
  private void evaluateRules() {
    if (rules == null) {
      return;
    }
    long now = clock.millis();
    List<Decision> decisions = rules.tick(resources.current(), current.state(), peer(), now);
    for (Decision d : decisions) {
      if (d.action() == FailoverAction.SET_RESOURCE
          && MirrorDriver.KEPT_BY_AUTOMATON.contains(d.resource())) {
        // rfs_forceuptodate: a request to the automaton, which keeps the data freshness and sets
        // rfs.uptodate itself when it takes it (docs/failover.md "Internal rules")
        String by = "failover rule " + d.rule();
        step(by, () -> automaton.resource(d.resource(), d.value(), by, now));
        continue;
      }
      if (d.action() == FailoverAction.SET_RESOURCE) {
        resourceGiven(
            d.resource(), d.value(), "failover rule " + d.rule(), ResourceTable.History.CHANGES);
        continue;
      }
      Event.Command command =
          new Event.Command(FailoverLoop.verb(d.action()), FailoverLoop.origin(d), "");
      List<Action> actions =
          step("failover rule " + d.rule(), () -> automaton.command(command, now));
      if (actions != null && !d.repeat()) {
        actions.stream()
            .filter(a -> a instanceof Action.Reply r && !r.accepted())
            .map(a -> ((Action.Reply) a).message())
            .forEach(m -> journal.log(EventLevel.I, "failover", d.logLine() + " refused: " + m));
      }
    }
  }

  private void notifyWaiters() {
    LocalState state = current;
    LocalState previous = local;
    ModuleStatus before = status;
    long ready = before.readyCount();
    if (state.isHealthy() && !before.local().isHealthy()) {
      ready++; // a new ready period: a restart of the application went through a transient state
    }
    status = new ModuleStatus(name, id, kind, state, loaded, ready);
    local = state;
    checkers.state(state);
    if (!state.equals(previous)) {
      try {
        published.accept(status());
      } catch (RuntimeException e) {
        internalErrors.incrementAndGet();
        LOG.warn("module {}: a state listener failed", name, e);
      }
    }
    synchronized (waitersLock) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.until.test(state)) {
          w.done.complete(state);
          it.remove();
        }
      }
    }
  }

  /** Enqueues work on the loop; after close() it is dropped and false returned. */
  private boolean enqueue(Runnable task) {
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException closed) {
      LOG.debug("Module {} closed: dropped {}", name, task);
      return false;
    }
  }

  /** When the driver cannot say when it needs the next tick, it gets one this soon. */
  static final long FALLBACK_TICK_MILLIS = 100;

  private void scheduleTick() {
    if (nextTick != null) {
      nextTick.cancel(false);
    }
    long now = clock.millis();
    long delay;
    try {
      delay = Math.max(1, automaton.nextWakeup(now) - now);
    } catch (RuntimeException e) {
      internalError("computing the next tick", e);
      delay = FALLBACK_TICK_MILLIS;
    }
    try {
      nextTick =
          timers.schedule(
              () -> enqueue(() -> step("tick", () -> automaton.tick(clock.millis()))),
              delay,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      LOG.debug("Module {}: timers closed, no more ticks", name);
    }
  }
}
