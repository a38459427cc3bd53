package org.bulwark.automaton.sim;

import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Block;

/**
 * The invariants of issue 5, checked at every step of a scenario:
 *
 * <ol>
 *   <li>never two nodes PRIM/ALONE at once while their heartbeats can reach each other for longer
 *       than one timeout plus one pulse;
 *   <li>when the primary crashes, its SECOND Ready peer (failover on, undisturbed) is ALONE within
 *       timeout plus one pulse, and ALONE Ready once its three scripts ran;
 *   <li>a node becomes PRIM/ALONE without an explicit prim/primforce only if it holds data at least
 *       as new as its peer's (ground truth kept by the simulation: a primary writes continuously, a
 *       synchronised secondary mirrors it, reintegration copies it); split brain periods excepted
 *       (spec C.8 accepts the loss of the exiting side's writes);
 *   <li>after faults stop and the nodes are started, they converge to PRIM Ready + SECOND Ready, or
 *       both wait for data that nobody can vouch for (spec C.3);
 *   <li>every command gets exactly one clear reply (checked in {@link SimNode}), and the command
 *       checks of the last phase reach the state the spec names.
 * </ol>
 */
final class Invariants {

  private final Simulation sim;

  Invariants(Simulation sim) {
    this.sim = sim;
  }

  /** A node's label changed. */
  void stateChanged(SimNode n, LocalState s) {
    boolean wasPrimary = n.primarySince >= 0;
    boolean isPrimary = s.state().isPrimary();
    if (isPrimary && !wasPrimary) {
      n.primarySince = sim.now;
      checkFreshness(n);
      if (n.explicitPrim) {
        // prim/primforce: the operator declares this data the reference and sacrifices the
        // peer's (spec C.3, C.5, C.11)
        n.version = Math.max(n.version, sim.peerOf(n).version);
      }
      n.explicitPrim = false;
      if (n.forcedUptodate) {
        // syncdelta (spec C.6): the writes of the peer's last syncdelta are given up on purpose
        n.version = Math.max(n.version, sim.peerOf(n).version);
        n.forcedUptodate = false;
        sim.forcedStarts++;
      }
      if (!sim.net.connected()) {
        // Primary behind a partition: the other side may have written too (spec C.8); histories
        // have no order until one side reintegrates from the other.
        sim.diverged = true;
      }
    } else if (!isPrimary) {
      n.primarySince = -1;
    }
    if (s.state() == ModuleState.ALONE) {
      if (!sim.net.connected()) {
        // PRIM -> ALONE behind a partition: its new writes cannot reach a secondary that may
        // fail over later (spec C.8)
        sim.diverged = true;
      }
      n.aloneAt = sim.now;
      if (n.failoverWatchSince >= 0 && n.lastDisturbed < n.failoverWatchSince) {
        sim.maxFailoverMillis = Math.max(sim.maxFailoverMillis, sim.now - n.failoverWatchSince);
        n.failoverWatchSince = -1;
      }
      if (s.readiness() == Readiness.READY) {
        n.aloneReadyAt = sim.now;
      }
    }
    if (s.state() == ModuleState.STOP) {
      n.explicitPrim = false;
      n.forcedUptodate = false;
    }
  }

  private void checkFreshness(SimNode n) {
    SimNode p = sim.peerOf(n);
    // Unreachable peer, or histories diverged in a split brain and not yet reintegrated: no order.
    boolean split = !sim.net.connected() || sim.diverged;
    // syncdelta (spec C.6): a node that took its data as up to date may lack at most the writes
    // made since its last synchronisation, which was less than syncdelta ago (plus the time its
    // freshness takes to be refreshed and acted on)
    long allowance = n.forcedUptodate ? sim.policy.syncdeltaMillis() + sim.timeout() : 0;
    if (!n.explicitPrim && !split && n.version + allowance < p.version) {
      sim.fail(
          n.name
              + " became "
              + n.label()
              + " with data version "
              + n.version
              + " older than "
              + p.name
              + "'s "
              + p.version
              + " without prim/primforce");
    }
  }

  /** Ground truth of the data: primaries write, a synchronised secondary mirrors its primary. */
  void updateVersions() {
    for (SimNode n : sim.nodes) {
      SimNode p = sim.peerOf(n);
      // Synchronous replication: a PRIM whose synchronised secondary is unreachable cannot
      // acknowledge writes until it goes ALONE.
      // Nor while its secondary lost the stream, until it has announced going on alone.
      boolean blocked =
          n.label().state() == ModuleState.PRIM
              && p.alive
              && ((p.synced && !sim.net.replicationUp()) || (p.streamLost && !n.degraded));
      if (n.alive
          && n.label().state().isPrimary()
          && n.label().readiness() == Readiness.READY
          && !blocked) {
        n.version = sim.now;
      }
    }
    for (SimNode n : sim.nodes) {
      SimNode p = sim.peerOf(n);
      if (n.alive
          && n.synced
          && n.label().state() == ModuleState.SECOND
          && p.alive
          && p.label().state().isPrimary()
          && sim.net.replicationUp()) {
        n.version = p.version;
      }
    }
  }

  /** Invariant 1, after every event. */
  void checkSinglePrimary() {
    SimNode a = sim.nodes[0];
    SimNode b = sim.nodes[1];
    boolean both = a.primary() && b.primary();
    if (both && !sim.bothPrimary) {
      sim.splitBrains++;
    }
    sim.bothPrimary = both;
    if (both) {
      sim.diverged = true; // both write: split brain (spec C.8)
    }
    if (!(a.primary() && b.primary() && sim.net.connected())) {
      return;
    }
    long since = Math.max(Math.max(a.primarySince, b.primarySince), sim.net.connectedSince);
    if (sim.now - since > sim.timeout() + sim.pulse()) {
      sim.fail(
          "two primaries for "
              + (sim.now - since)
              + " ms while connected: "
              + a.name
              + " "
              + a.label()
              + ", "
              + b.name
              + " "
              + b.label());
    }
  }

  /** Invariant 2: armed when a primary crashes in front of a ready secondary. */
  void primaryCrashed(SimNode crashed) {
    SimNode s = sim.peerOf(crashed);
    boolean armed =
        s.alive
            && s.label().is(ModuleState.SECOND, Readiness.READY)
            && !s.driver.state().inTransition()
            && s.driver.state().failover()
            && s.driver.state().data().uptodate()
            && sim.net.connected();
    if (!armed) {
      return;
    }
    long t0 = sim.now;
    // with a splitbrain checker the witness answers first (one script's time at most)
    long bound = sim.timeout() + sim.pulse() + (s.witness ? Simulation.MAX_SCRIPT : 0);
    sim.failoversChecked++;
    s.failoverWatchSince = t0;
    sim.schedule(
        bound,
        () -> {
          if (s.lastDisturbed < t0 && s.alive && s.aloneAt < t0) {
            sim.fail(
                s.name + " not ALONE " + bound + " ms after its primary crashed: " + s.label());
          }
        });
    sim.schedule(
        bound + 3 * Simulation.MAX_SCRIPT + 1,
        () -> {
          if (s.lastDisturbed < t0 && s.alive && s.aloneReadyAt < t0) {
            sim.fail(s.name + " not ALONE Ready after failover scripts: " + s.label());
          }
        });
  }

  /** Invariant 4: the converged pairs. */
  void checkConverged(String when) {
    LocalState a = sim.nodes[0].label();
    LocalState b = sim.nodes[1].label();
    boolean pair =
        (a.is(ModuleState.PRIM, Readiness.READY) && b.is(ModuleState.SECOND, Readiness.READY))
            || (b.is(ModuleState.PRIM, Readiness.READY)
                && a.is(ModuleState.SECOND, Readiness.READY));
    boolean bothBlocked =
        a.is(ModuleState.WAIT, Readiness.NOT_READY)
            && b.is(ModuleState.WAIT, Readiness.NOT_READY)
            && sim.nodes[0].driver.state().block() == Block.NOT_UPTODATE
            && sim.nodes[1].driver.state().block() == Block.NOT_UPTODATE;
    // syncat (spec C.12): after its synchronisation the secondary waits for the next one
    boolean syncatPair =
        sim.syncat()
            && ((a.is(ModuleState.ALONE, Readiness.READY) && waitsForSyncat(sim.nodes[1]))
                || (b.is(ModuleState.ALONE, Readiness.READY) && waitsForSyncat(sim.nodes[0])));
    if (!pair && !bothBlocked && !syncatPair) {
      sim.fail("not converged " + when + ": " + a + " / " + b);
    }
  }

  private static boolean waitsForSyncat(SimNode n) {
    return n.label().is(ModuleState.WAIT, Readiness.NOT_READY)
        && n.driver.state().block() == Block.RESOURCE;
  }
}
