package org.bulwark.automaton.sim;

import java.util.PriorityQueue;
import java.util.Random;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartConfig;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.automaton.ReplicationPolicy;
import org.bulwark.automaton.ServiceSettings;

/**
 * One deterministic scenario: two mirror nodes running the real {@link
 * org.bulwark.automaton.MirrorDriver} on a manual clock and a faulty {@link SimNetwork}. Everything
 * random comes from one seed, so a failing seed replays exactly ({@code -Dsim.seed=…}).
 *
 * <p>Phases: chaos (random commands, crashes, reboots, partitions, loss, duplication), quiet
 * (faults healed, nodes started: they must converge), command checks (commands with known
 * outcomes).
 */
final class Simulation {

  static final long PULSE = 100;
  static final long TIMEOUT = 600;
  static final long MAX_DELAY = 20;
  static final long MAX_SCRIPT = 40;
  static final long REINTEGRATION = 150;
  static final long CHAOS = 8_000;
  static final long SETTLE = 3_000;

  /** A scenario failed; carries the seed and the trace. */
  static final class Failure extends RuntimeException {
    Failure(String m) {
      super(m);
    }
  }

  private record Ev(long time, long seq, Runnable run) {}

  final long seed;
  final Random rnd;
  final Trace trace = new Trace(3000);
  final SimNetwork net;
  final SimNode[] nodes = new SimNode[2];
  final Invariants invariants = new Invariants(this);
  long now;
  long events;
  boolean diverged;
  long failoversChecked;
  long splitBrains;
  boolean bothPrimary;
  long maxFailoverMillis;

  /** syncdelta and syncat of this scenario (spec C.6, C.12), drawn from their own random. */
  final ReplicationPolicy policy;

  long forcedStarts;
  long syncatWaits;

  /** The failover machines, with the gateway checker in a third of the scenarios. */
  final SimChecker checker;

  /** The splitbrain witness of some scenarios without the checker, or null. */
  final SimWitness witness;

  long witnessWaits;
  long witnessAlones;
  long checkerWaits;
  long checkerWakeups;
  long notuptodateWaits;
  long syncatAloneFacingWait;

  /** Replication failed irrecoverably on a primary (spec C.7) in this scenario. */
  long replicationFailures;

  /** Waits of the failover rule degraded_server, as logged. */
  long degradedWaits;

  /** PRIM -> ALONE on the loss of the secondary's session (link failure, spec C.7), as logged. */
  long linkAlones;

  private long seq;
  private final PriorityQueue<Ev> queue =
      new PriorityQueue<>(
          (x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Long.compare(x.seq, y.seq));

  Simulation(long seed) {
    this.seed = seed;
    this.rnd = new Random(seed);
    int lans = 1 + rnd.nextInt(2);
    this.net = new SimNetwork(lans, rnd, MAX_DELAY);
    String[] idents = lans == 1 ? new String[] {"0"} : new String[] {"0", "1"};
    HeartConfig heart = HeartConfig.of(PULSE, TIMEOUT, idents);
    boolean failover = rnd.nextInt(4) != 0;
    String defaultprim =
        new String[] {"alone", "alone", "node1", "node2", "lastprim"}[rnd.nextInt(5)];
    boolean history = rnd.nextInt(3) != 0;
    // A random of its own, so that the scenarios without syncdelta or syncat stay as they were.
    Random policies = new Random(seed ^ 0x5EED_DE17AL);
    this.policy = policy(policies);
    for (int i = 0; i < 2; i++) {
      String name = "node" + (i + 1);
      ServiceSettings s =
          new ServiceSettings(name, failover, defaultprim, 3, ServiceSettings.DAY_MILLIS);
      DataFreshness d =
          !history ? DataFreshness.NEVER_SYNCED : new DataFreshness(i == 0, 1, i == 0, true, 0, 1);
      nodes[i] = new SimNode(this, i, name, s, heart, d);
    }
    this.checker = SimChecker.draw(this, seed);
    this.witness = SimWitness.draw(this, seed);
    if (policy.syncat().isPresent()) {
      // safekit set -r rfs.syncat -v up at random times (the schedule itself is minutes apart)
      int sets = 1 + policies.nextInt(4);
      for (int k = 0; k < sets; k++) {
        SimNode n = nodes[policies.nextInt(2)];
        scheduleAt(300 + policies.nextInt((int) CHAOS), () -> n.resource("rfs.syncat", "up"));
      }
    }
    trace.add(
        0,
        "-",
        "SCENARIO",
        "seed="
            + seed
            + " lans="
            + lans
            + " failover="
            + failover
            + " defaultprim="
            + defaultprim
            + " history="
            + history
            + " syncdelta="
            + policy.syncdeltaMillis()
            + " syncat="
            + policy.syncat().map(Object::toString).orElse("none")
            + " checker="
            + checker.gateway
            + " witness="
            + (witness != null));
  }

  /**
   * A quarter of the scenarios run with a syncdelta of 1 to 4 s (the simulation's scale: its
   * timeout is 600 ms), a sixth with syncat, some with both.
   */
  private static ReplicationPolicy policy(Random r) {
    long syncdelta = r.nextInt(4) == 0 ? 1_000 + r.nextInt(3_000) : 0;
    java.util.Optional<org.bulwark.api.rfs.SyncSchedule> syncat =
        r.nextInt(6) == 0
            ? java.util.Optional.of(org.bulwark.api.rfs.SyncSchedule.parse("* * * * *"))
            : java.util.Optional.empty();
    return new ReplicationPolicy(syncdelta, syncat, java.time.ZoneOffset.UTC);
  }

  boolean syncat() {
    return policy.syncat().isPresent();
  }

  long pulse() {
    return PULSE;
  }

  long timeout() {
    return TIMEOUT;
  }

  SimNode peerOf(SimNode n) {
    return nodes[1 - n.index];
  }

  void fail(String message) {
    throw new Failure(message);
  }

  void schedule(long delay, Runnable r) {
    scheduleAt(now + delay, r);
  }

  void scheduleAt(long t, Runnable r) {
    queue.add(new Ev(Math.max(t, now), seq++, r));
  }

  void send(SimNode from, HeartbeatMessage m) {
    SimNode to = peerOf(from);
    for (int lan = 0; lan < net.lans; lan++) {
      String ident = Integer.toString(lan);
      for (long d : net.deliveries(lan)) {
        long inc = to.incarnation;
        schedule(d, () -> to.receive(inc, ident, m));
      }
    }
  }

  /** Runs the whole scenario; throws {@link Failure} on the first broken invariant. */
  void run() {
    for (SimNode n : nodes) {
      n.execute(java.util.List.of()); // schedules the first tick
    }
    new Chaos(this).plan(CHAOS);
    planReplicationFailure();
    checker.plan(CHAOS);
    if (witness != null) {
      witness.plan(CHAOS);
    }
    long quiet = CHAOS + 500;
    scheduleAt(quiet, this::quiet);
    scheduleAt(quiet + 1_500, () -> startBoth());
    // a start refused during a transition (e.g. a prim aborted at wakeup) is given again
    scheduleAt(quiet + 2_500, this::startStopped);
    runUntil(quiet);
    // A secondary refused by a primary whose replication had failed (spec C.7) tries again only
    // after its delay (MirrorMachine.retryDelayMillis): the pair converges after it. No
    // reintegration fails otherwise in the simulation: the other scenarios keep their times.
    long retry = 0;
    for (SimNode n : nodes) {
      retry = Math.max(retry, n.driver.state().retryAt() - (quiet + 1_500));
    }
    long converged = quiet + 1_500 + SETTLE + retry;
    scheduleAt(converged, () -> invariants.checkConverged("after faults healed"));
    // With syncat the secondary sits in WAIT between synchronisations: the command checks expect
    // a PRIM-SECOND pair.
    long end = syncat() ? converged + 1 : new CommandChecks(this).plan(converged + 1);
    runUntil(end);
  }

  /**
   * A fifth of the scenarios: replication fails irrecoverably on whichever node is primary at a
   * random moment of the chaos (spec C.7). Drawn from a random of its own, so that the other faults
   * stay as they were.
   */
  private void planReplicationFailure() {
    Random r = new Random(seed ^ 0xDE6_7ADEL);
    if (r.nextInt(5) != 0) {
      return;
    }
    // in the first half: a peer refused once waits 5 s before it tries again (retryDelayMillis)
    long at = 300 + r.nextInt((int) CHAOS / 2);
    scheduleAt(
        at,
        () -> {
          for (SimNode n : nodes) {
            if (n.primary() && !n.replicationFailed) {
              n.lastDisturbed = now;
              peerOf(n).lastDisturbed = now; // its peer is meant to wait, not to fail over
              replicationFailures++;
              n.failReplication();
            }
          }
        });
  }

  /**
   * The administrator's recovery of a primary whose replication failed (spec C.7): stop, then the
   * start of the quiet phase.
   */
  private void recoverFailedReplication() {
    for (SimNode n : nodes) {
      if (n.alive && n.replicationFailed) {
        trace.add(now, n.name, "RECOVER", "stop then start (C.7)");
        n.command(org.bulwark.automaton.Event.Command.admin(org.bulwark.automaton.Verb.STOP));
      }
    }
  }

  private void quiet() {
    trace.add(now, "-", "QUIET", "heal, no loss");
    net.healAll(now);
    net.loss = 0;
    net.duplicate = 0;
    checker.heal();
    if (witness != null) {
      witness.heal();
    }
    for (SimNode n : nodes) {
      n.lastDisturbed = now;
      if (!n.alive) {
        n.reboot();
      }
    }
    recoverFailedReplication();
  }

  void startBoth() {
    for (SimNode n : nodes) {
      n.command(
          new org.bulwark.automaton.Event.Command(
              org.bulwark.automaton.Verb.WAKEUP,
              org.bulwark.automaton.Origin.rule("Implicit_wakeup"),
              ""));
      n.command(org.bulwark.automaton.Event.Command.admin(org.bulwark.automaton.Verb.FAILOVER_ON));
      n.command(org.bulwark.automaton.Event.Command.admin(org.bulwark.automaton.Verb.START));
      if (syncat()) {
        n.resource("rfs.syncat", "up"); // synchronise once now
      }
    }
  }

  void startStopped() {
    for (SimNode n : nodes) {
      if (n.label().state() == org.bulwark.api.module.ModuleState.STOP) {
        n.command(org.bulwark.automaton.Event.Command.admin(org.bulwark.automaton.Verb.START));
      }
    }
  }

  void runUntil(long end) {
    while (!queue.isEmpty() && queue.peek().time <= end) {
      Ev e = queue.poll();
      now = e.time;
      invariants.updateVersions();
      e.run.run();
      events++;
      invariants.checkSinglePrimary();
    }
    now = end;
  }
}
