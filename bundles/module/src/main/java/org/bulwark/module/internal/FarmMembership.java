package org.bulwark.module.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.FarmVip;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.farm.MembershipDriver;
import org.bulwark.automaton.farm.MembershipStep;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.automaton.farm.Role;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The farm membership of one module, driven on the module's event loop (docs/farm.md "wiring"):
 * pulses received and ticks step the {@link MembershipDriver}; each step's pulses go out on the
 * farm channel, its log lines and load-share resources to the journal, and a change of the view to
 * the kernel filter through the vip bundle's {@link FarmVip} — off the loop, on the runtime's
 * serial executor of awaited steps, so filter programs and the set and removal of the traffic keep
 * their order. The runtime calls {@link #join} when the automaton opens the traffic (just before
 * {@code start_both}, spec D.4) and {@link #leave} when it closes it (just after {@code
 * stop_both}). Remote nodes only move buckets: nothing here changes the module's state (spec D.1).
 */
final class FarmMembership {
  private static final Logger LOG = LoggerFactory.getLogger(FarmMembership.class);

  private final String module;
  private final MembershipDriver driver;
  private final Journal journal;
  // the module's resource table, on the loop
  private final java.util.function.Consumer<Action.SetResource> resources;
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final Predicate<Runnable> loop;
  private final Executor offLoop;
  private final Optional<FarmVip> vip;

  // confined to the loop
  private FarmChannel channel;
  private ScheduledFuture<?> nextTick;
  private long tickAt = Long.MAX_VALUE;

  // the last status, for safekit and REST
  private volatile FarmStatus status;
  private volatile Role role = Role.OUT;
  // peers lost on their kernel's refusal (docs/farm.md "Two detections")
  private volatile long refusals;

  /**
   * @param loop enqueues on the module's loop; false once it is closed
   * @param offLoop the runtime's serial executor of awaited steps
   */
  FarmMembership(
      String module,
      MembershipDriver driver,
      Optional<FarmVip> vip,
      Journal journal,
      Clock clock,
      ScheduledExecutorService timers,
      Predicate<Runnable> loop,
      Executor offLoop,
      java.util.function.Consumer<Action.SetResource> resources) {
    this.module = module;
    this.resources = resources;
    this.driver = driver;
    this.vip = vip;
    this.journal = journal;
    this.clock = clock;
    this.timers = timers;
    this.loop = loop;
    this.offLoop = offLoop;
    this.status = driver.status();
  }

  /**
   * Binds the farm lans. When they cannot be bound the reason is logged and the node serves alone:
   * it hears nobody, so it takes every bucket (spec D.2, as a partition would).
   */
  void open(Optional<FarmChannelService> service, List<FarmChannelService.Link> links) {
    if (service.isEmpty()) {
      journal.log(EventLevel.E, "vipd", "No farm membership packet can be sent: no farm service");
      return;
    }
    try {
      FarmChannel c =
          service
              .get()
              .open(
                  module,
                  links,
                  new FarmChannelService.Receiver() {
                    @Override
                    public void received(String lan, Pulse pulse) {
                      FarmMembership.this.received(lan, pulse);
                    }

                    @Override
                    public void refused(String lan, String node) {
                      FarmMembership.this.refused(lan, node);
                    }
                  });
      loop.test(() -> channel = c);
      LOG.info("Module {}: farm membership on {}", module, links);
    } catch (IOException e) {
      journal.log(EventLevel.E, "vipd", "No farm membership packet can be sent: " + e.getMessage());
    }
  }

  /**
   * On the channel's I/O thread: only hands the pulse to the loop, with the time it arrived, from
   * which the sender's silence is counted (a busy loop must not delay the loss of a peer).
   */
  private void received(String lan, Pulse pulse) {
    long arrived = clock.millis();
    loop.test(() -> apply(driver.received(lan, pulse, arrived, clock.millis())));
  }

  /**
   * On the channel's I/O thread: {@code node}'s kernel refused our pulse (its process is gone);
   * handed to the loop with the time it came, read on the same thread as the pulses' (their order
   * decides whether the node was heard after it).
   */
  private void refused(String lan, String node) {
    long at = clock.millis();
    loop.test(() -> apply(driver.refused(lan, node, at, clock.millis())));
  }

  /** The current membership and allocation, from any thread. */
  FarmStatus status() {
    return status;
  }

  /** This node's part in the membership now; any thread. */
  Role role() {
    return role;
  }

  /** How many peers were lost on their kernel's refusal rather than their silence; any thread. */
  long refusals() {
    return refusals;
  }

  /** What the kernel filter holds now ({@code safekit -r vip_if_ctrl -l}); any thread. */
  Optional<BucketView> view() throws IOException {
    return vip.isEmpty() ? Optional.empty() : vip.get().view();
  }

  /** The addresses held on this node. */
  List<String> held() {
    return vip.map(FarmVip::held).orElse(List.of());
  }

  // ---- on the loop

  /**
   * Opens the traffic: the VIP and the closed filter off the loop, then, back on the loop, the
   * membership joins; {@code done} gets the failure, or null. A node that cannot set its VIP does
   * not join: it would own buckets nobody serves.
   */
  void join(Consumer<String> done) {
    if (vip.isEmpty()) {
      apply(driver.join(clock.millis()));
      done.accept(null);
      return;
    }
    runOffLoop(
        () -> vip.get().set(),
        failed -> {
          if (failed == null) {
            apply(driver.join(clock.millis()));
          }
          done.accept(failed);
        });
  }

  /**
   * Closes the traffic: the membership leaves now (the others take our buckets at once), then the
   * filter closes and the VIP goes, off the loop; {@code done} as for {@link #join}.
   */
  void leave(Consumer<String> done) {
    apply(driver.leave(clock.millis()));
    if (vip.isEmpty()) {
      done.accept(null);
      return;
    }
    runOffLoop(() -> vip.get().remove(), done);
  }

  /** An operation on the VIP and filter, which may block (netlink, nftables). */
  private interface VipStep {
    void run() throws IOException;
  }

  /**
   * Runs {@code step} off the module's loop, then {@code then} back on the loop with its failure
   * ({@code null}: none).
   */
  private void runOffLoop(VipStep step, Consumer<String> then) {
    offLoop.execute(
        () -> {
          String failure = null;
          try {
            step.run();
          } catch (IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
          }
          String failed = failure;
          loop.test(() -> then.accept(failed));
        });
  }

  /**
   * {@code SETGROUPS} from the scripts ({@code scriptcontrol}, spec D.4): opens or closes the
   * traffic, after whatever filter step is already queued; completes when done.
   */
  java.util.concurrent.CompletableFuture<Void> setGroups(boolean open) {
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    if (vip.isEmpty()) {
      done.completeExceptionally(new IOException("module " + module + " has no <vip>"));
      return done;
    }
    offLoop.execute(
        () -> {
          try {
            vip.get().open(open);
            done.complete(null);
          } catch (IOException | RuntimeException e) {
            journal.log(EventLevel.E, "vipd", "SETGROUPS failed: " + e.getMessage());
            done.completeExceptionally(e);
          }
        });
    return done;
  }

  /** The module is removed: no more ticks, the lans unbound. */
  void close() {
    if (nextTick != null) {
      nextTick.cancel(false);
    }
    if (channel != null) {
      channel.close();
      channel = null;
    }
    vip.ifPresent(FarmVip::close);
  }

  private void tick() {
    tickAt = Long.MAX_VALUE;
    apply(driver.tick(clock.millis()));
  }

  private void apply(MembershipStep step) {
    role = step.state().role();
    refusals = step.state().refusals();
    try {
      if (channel != null) {
        step.pulses().forEach(channel::send);
      }
      for (Action a : step.actions()) {
        if (a instanceof Action.Log l) {
          journal.log(l.level(), l.component(), l.message());
        } else if (a instanceof Action.SetResource r) {
          resources.accept(r); // the load shares, FarmProto_0 = 50% (spec B.20)
        }
      }
      step.change().ifPresent(this::changed);
    } finally {
      schedule();
    }
  }

  private void changed(FarmStatus next) {
    status = next;
    if (vip.isEmpty()) {
      return;
    }
    FarmVip v = vip.get();
    long queued = clock.millis();
    offLoop.execute(
        () -> {
          try {
            long start = clock.millis();
            v.program(next);
            // the verbose log tells where a takeover's time goes (docs/benchmarks.md "Farm")
            journal.log(
                EventLevel.D,
                "vipd",
                "Farm filter programmed for view "
                    + next.view().id()
                    + " in "
                    + (clock.millis() - start)
                    + " ms (queued "
                    + (start - queued)
                    + " ms)");
          } catch (IOException | RuntimeException e) {
            LOG.warn("Module {}: filter not programmed for {}", module, next.view(), e);
            journal.log(EventLevel.E, "vipd", "Farm filter not programmed: " + e.getMessage());
          }
        });
  }

  /** The next tick at the driver's wakeup; an earlier one already scheduled is kept. */
  private void schedule() {
    long at = driver.nextWakeup();
    if (at == Long.MAX_VALUE || (nextTick != null && !nextTick.isDone() && tickAt <= at)) {
      return;
    }
    if (nextTick != null) {
      nextTick.cancel(false);
    }
    tickAt = at;
    try {
      nextTick =
          timers.schedule(
              () -> loop.test(this::tick), Math.max(0, at - clock.millis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      LOG.debug("Module {}: timers closed, no more farm ticks", module);
    }
  }
}
