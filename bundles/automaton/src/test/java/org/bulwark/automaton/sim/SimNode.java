package org.bulwark.automaton.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bulwark.api.module.LocalState;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.HeartConfig;
import org.bulwark.automaton.MirrorDriver;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.Verb;

/**
 * One simulated node: a real {@link MirrorDriver} and a tiny runtime that executes its actions
 * against the simulated clock, network, scripts and replication.
 */
final class SimNode {

  final String name;
  final int index;
  final ServiceSettings settings;
  final HeartConfig heart;
  final Simulation sim;
  MirrorDriver driver;
  boolean alive = true;
  long incarnation = 1;
  DataFreshness persisted;
  long tickAt = Long.MAX_VALUE;
  final Set<Long> runningScripts = new HashSet<>();
  boolean reintegrating;
  boolean synced;

  /** Secondary: its stream from the primary broke (its primary must degrade to write on). */
  boolean streamLost;

  /** Primary: it went on without its secondary (a new generation was announced). */
  boolean degraded;

  /**
   * Secondary: its session with the primary's replica is open (the primary was told it attached);
   * false from a stream loss or a start of the secondary role until it connects again.
   */
  boolean connected;

  /**
   * Primary: its replication failed irrecoverably (spec C.7): {@code rfs.degraded} up, no secondary
   * accepted until its module is stopped and started.
   */
  boolean replicationFailed;

  /** Primary: its replica serves (from START_PRIMARY to STOP_PRIMARY): it can fail only then. */
  boolean serving;

  /** Secondary: how many times its stream broke (a late degradation of an earlier one is void). */
  long streamEpisode;

  boolean explicitPrim;

  /** A {@code <splitbrain>} checker is configured on this node (spec B.18). */
  boolean witness;

  /**
   * The witness was not reached and nothing happened since that may release the node: no heartbeat
   * of the peer, no administrator's command (spec C.8).
   */
  boolean witnessDenied;

  /** The rule rfs_forceuptodate took this node's data as up to date (syncdelta, spec C.6). */
  boolean forcedUptodate;

  /** The resource table as the driver set it; kept across a crash, as the store keeps it. */
  final java.util.Map<String, String> resources = new java.util.HashMap<>();

  long version;
  long primarySince = -1;
  long aloneAt = Long.MIN_VALUE;
  long failoverWatchSince = -1;
  long aloneReadyAt = Long.MIN_VALUE;
  long lastDisturbed = Long.MIN_VALUE / 2;
  int replies;

  /**
   * The argument of every START_SECONDARY this node ran, in order ({@code nosync} after a swap).
   */
  final List<String> secondaryStarts = new java.util.ArrayList<>();

  SimNode(
      Simulation sim, int index, String name, ServiceSettings s, HeartConfig h, DataFreshness d) {
    this.sim = sim;
    this.index = index;
    this.name = name;
    this.settings = s;
    this.heart = h;
    this.persisted = d;
    this.driver = new MirrorDriver("mirror", s, h, d, sim.policy, incarnation, sim.now);
  }

  LocalState label() {
    return driver.state().local();
  }

  boolean primary() {
    return alive && label().state().isPrimary();
  }

  void crash() {
    alive = false;
    failoverWatchSince = -1;
    lastDisturbed = sim.now;
    runningScripts.clear();
    reintegrating = false;
    synced = false;
    streamLost = false;
    degraded = false;
    connected = false;
    replicationFailed = false;
    serving = false;
    primarySince = -1;
    sim.peerOf(this).connected = false; // its session, if it served one, is gone
    sim.trace.add(sim.now, name, "CRASH", persisted);
  }

  /** Reboot after a crash: a new incarnation that does not know whether its data is up to date. */
  void reboot() {
    alive = true;
    incarnation++;
    persisted = persisted.afterCrash();
    driver =
        new MirrorDriver("mirror", settings, heart, persisted, sim.policy, incarnation, sim.now)
            .withWitness(witness);
    witnessDenied = false;
    tickAt = Long.MAX_VALUE;
    explicitPrim = false;
    lastState = org.bulwark.api.module.ModuleState.STOP;
    resources.put("rfs.degraded", "down"); // a new replication: nothing failed in it (ModuleRfs)
    sim.trace.add(sim.now, name, "REBOOT", persisted);
    after(List.of());
  }

  void command(Event.Command c) {
    if (!alive) {
      return;
    }
    sim.trace.add(sim.now, name, "CMD", c);
    if (c.origin().kind() == org.bulwark.automaton.Origin.Kind.ADMIN) {
      witnessDenied = false;
    }
    int before = replies;
    execute(driver.command(c, sim.now));
    if (replies != before + 1) {
      sim.fail(name + ": command " + c + " got " + (replies - before) + " replies, expected 1");
    }
  }

  /** {@code safekit set -r <name> -v <value>} (spec B.20, C.12). */
  void resource(String resource, String value) {
    resource(resource, value, "root");
  }

  /** A resource given to the driver by {@code by} (an administrator, a failover rule). */
  void resource(String resource, String value, String by) {
    if (!alive) {
      return;
    }
    sim.trace.add(sim.now, name, "SET", resource + "=" + value + " by " + by);
    if (org.bulwark.automaton.MirrorDriver.READ_BY_AUTOMATON.contains(resource)) {
      resources.put(resource, value); // the runtime sets it, then tells the automaton
    }
    execute(driver.resource(resource, value, by, sim.now));
  }

  void tick(long inc) {
    if (!alive || inc != incarnation) {
      return;
    }
    tickAt = Long.MAX_VALUE;
    execute(driver.tick(sim.now));
  }

  void scriptDone(long inc, long token, int code) {
    if (!alive || inc != incarnation || !runningScripts.remove(token)) {
      return;
    }
    execute(driver.scriptDone(token, code, sim.now));
  }

  void receive(long inc, String lan, org.bulwark.automaton.HeartbeatMessage m) {
    if (!alive || inc != incarnation) {
      return;
    }
    witnessDenied = false; // the peer is heard: the split brain is over
    List<Action> out = driver.heartbeat(lan, m, sim.now);
    if (!out.isEmpty()) {
      sim.trace.add(sim.now, name, "RECV " + lan, m.state() + " inc=" + m.incarnation());
    }
    execute(out);
  }

  /**
   * The replication stream of a secondary breaks while heartbeats go on (spec C.7): its primary
   * writes on without it; it reintegrates again once it can.
   */
  void replicationLost() {
    if (!alive || driver.local().state() != org.bulwark.api.module.ModuleState.SECOND) {
      return;
    }
    sim.trace.add(sim.now, name, "REPLICATION LOST", "");
    synced = false;
    streamLost = true;
    connected = false;
    boolean wasReintegrating = reintegrating;
    reintegrating = true;
    long inc = incarnation;
    execute(driver.replicationLost("link cut", sim.now));
    // the primary notices too, after its send timeout, and goes on alone (spec C.7); until it
    // has announced it, it cannot acknowledge writes (see Invariants.updateVersions)
    SimNode primary = sim.peerOf(this);
    primary.degraded = false;
    long pinc = primary.incarnation;
    long episode = ++streamEpisode;
    sim.schedule(
        sim.rnd.nextInt(400),
        () -> {
          if (streamLost && streamEpisode == episode) {
            primary.degrade(pinc);
          }
        });
    if (!wasReintegrating) {
      sim.schedule(Simulation.REINTEGRATION, () -> reintegrationCheck(inc));
    }
  }

  /** Primary: the secondary's stream broke; writes go on here only. */
  void degrade(long inc) {
    if (!alive || inc != incarnation || !driver.local().state().isPrimary()) {
      return;
    }
    sim.trace.add(sim.now, name, "DEGRADED", "");
    degraded = true;
    if (!sim.net.connected()) {
      // behind a partition the secondary cannot learn that this primary goes on alone: its copy
      // and this one diverge from here, as in a split brain (spec C.8)
      sim.diverged = true;
    }
    execute(driver.degraded("secondary lost", sim.now));
  }

  /**
   * Primary: its replica accepted a secondary's session (spec C.7): an ALONE node may become PRIM.
   */
  void attach(long inc) {
    if (!alive || inc != incarnation || !primary()) {
      return;
    }
    sim.trace.add(sim.now, name, "ATTACHED", "");
    execute(driver.secondaryAttached(sim.now));
  }

  /**
   * Primary: replication fails irrecoverably here (spec C.7; in Bulwark its change record cannot be
   * written): {@code rfs.degraded} up (as replication sets it), the session ends, no secondary is
   * accepted until this module is stopped and started.
   */
  void failReplication() {
    if (!primary() || !serving || replicationFailed) {
      return; // a replica that stops (its stop began) fails no more
    }
    sim.trace.add(sim.now, name, "REPLICATION FAILED", "");
    replicationFailed = true;
    resources.put("rfs.degraded", "up");
    degraded = true;
    execute(driver.degraded("replication failed on the primary", sim.now));
    SimNode s = sim.peerOf(this);
    if (s.alive && (s.connected || s.reintegrating)) {
      s.replicationLost(); // its stream ends with the session
    }
  }

  /** Replication of the simulation: a secondary catches up once its primary is reachable. */
  void reintegrationCheck(long inc) {
    if (!alive || inc != incarnation || !reintegrating) {
      return;
    }
    SimNode peer = sim.peerOf(this);
    if (peer.primary() && sim.net.replicationUp() && peer.replicationFailed) {
      // refused by the primary until it is stopped and started (spec C.7)
      reintegrating = false;
      synced = false;
      sim.trace.add(sim.now, name, "REFUSED", "replication failed on the primary");
      execute(driver.reintegration(false, sim.now));
      return;
    }
    if (peer.primary() && sim.net.replicationUp() && !connected) {
      connected = true;
      if (streamLost && !peer.degraded) {
        // the new session replaces the one the primary still held: it ends there first
        peer.degrade(peer.incarnation);
      }
      peer.attach(peer.incarnation);
      if (!alive || inc != incarnation || !reintegrating) {
        return; // what the primary did in return changed this node's role
      }
    }
    if (peer.primary() && sim.net.replicationUp() && streamLost) {
      // reconnected: the reintegration starts changing this copy, then ends below
      streamLost = false;
      execute(driver.reintegrationStarted(sim.now));
      sim.schedule(Simulation.REINTEGRATION, () -> reintegrationCheck(inc));
    } else if (peer.primary() && sim.net.replicationUp()) {
      reintegrating = false;
      synced = true;
      peer.degraded = false;
      version = peer.version;
      sim.diverged = false;
      execute(driver.reintegration(true, sim.now));
    } else {
      sim.schedule(Simulation.REINTEGRATION, () -> reintegrationCheck(inc));
    }
  }

  void execute(List<Action> actions) {
    if (!actions.isEmpty()) {
      sim.trace.add(sim.now, name, "ACTIONS", actions);
    }
    long inc = incarnation;
    for (Action a : actions) {
      if (a instanceof Action.RunScript r) {
        runningScripts.add(r.token());
        long d = sim.rnd.nextInt((int) Simulation.MAX_SCRIPT + 1);
        sim.schedule(d, () -> scriptDone(inc, r.token(), 0));
      } else if (a instanceof Action.AskWitness w) {
        runningScripts.add(w.token());
        sim.witness.ask(this, inc, w.token());
      } else if (a instanceof Action.KillScripts) {
        for (Long t : List.copyOf(runningScripts)) {
          sim.schedule(0, () -> scriptDone(inc, t, 137));
        }
      } else if (a instanceof Action.SendHeartbeat s) {
        sim.send(this, s.message());
      } else if (a instanceof Action.SetResource r) {
        resources.put(r.name(), r.value());
      } else if (a instanceof Action.Vip v) {
        // awaited like a script; answered at once so that the seeds' random draws stay as they were
        runningScripts.add(v.token());
        sim.schedule(0, () -> scriptDone(inc, v.token(), 0));
      } else if (a instanceof Action.Replication r) {
        replication(r, inc);
        long d = sim.rnd.nextInt((int) Simulation.MAX_SCRIPT + 1);
        sim.schedule(d, () -> scriptDone(inc, r.token(), 0)); // awaited like a script
        runningScripts.add(r.token());
      } else if (a instanceof Action.Log l
          && l.message().startsWith("Action alone called by heart: no heartbeat")
          && sim.peerOf(this).alive) {
        // failing over from a live peer that went unheard: both may write now, a split brain
        // (spec C.8) whatever the network looks like when the label changes later in the plan
        sim.diverged = true;
      } else if (a instanceof Action.Log l
          && l.message().startsWith("Resource rfs.uptodate set to up by failover rule")) {
        forcedUptodate = true;
      } else if (a instanceof Action.Log l
          && l.message().equals("Action wait from failover rule rfs_syncat_wait")) {
        sim.syncatWaits++;
      } else if (a instanceof Action.Log l) {
        SimChecker.observe(sim, l);
      } else if (a instanceof Action.StateChanged sc) {
        if (replicationFailed
            && sc.state()
                .is(
                    org.bulwark.api.module.ModuleState.PRIM,
                    org.bulwark.api.module.Readiness.READY)) {
          // a plan to PRIM decided before the failure ends there: it must go ALONE right after
          long since = sim.now;
          sim.schedule(
              4 * Simulation.MAX_SCRIPT + 1,
              () -> {
                if (alive
                    && inc == incarnation
                    && replicationFailed
                    && label().state() == org.bulwark.api.module.ModuleState.PRIM) {
                  sim.fail(
                      name + " PRIM since " + since + " while its replication had failed (C.7)");
                }
              });
        }
        if (witnessDenied && sc.state().state().isPrimary()) {
          sim.fail(name + " became " + sc.state() + " after its witness was not reached (C.8)");
        }
        syncat(sc.state());
        sim.invariants.stateChanged(this, sc.state());
      } else if (a instanceof Action.Reply r) {
        replies++;
        if (r.message().isEmpty() || (!r.accepted() && !r.message().contains("refused"))) {
          sim.fail(name + ": unclear reply " + r);
        }
        if (r.accepted() && (r.verb() == Verb.PRIM || r.verb() == Verb.PRIMFORCE)) {
          explicitPrim = true;
        }
      }
    }
    after(actions);
  }

  private org.bulwark.api.module.ModuleState lastState = org.bulwark.api.module.ModuleState.STOP;

  /**
   * syncat (spec C.12): a WAITing node starts to follow only inside its window ({@code rfs.syncat}
   * up), whatever the failover machine has evaluated yet; counts the starts ALONE facing a peer
   * held in WAIT for its window (the WAIT-facing-WAIT case of the hold, {@code SyncatWaitRule}).
   */
  private void syncat(LocalState now) {
    org.bulwark.api.module.ModuleState before = lastState;
    lastState = now.state();
    if (!sim.syncat() || before != org.bulwark.api.module.ModuleState.WAIT) {
      return;
    }
    if (now.state() == org.bulwark.api.module.ModuleState.SECOND
        && !"up".equals(resources.get("rfs.syncat"))) {
      sim.fail(name + " became SECOND outside its syncat window (rfs.syncat down, C.12)");
    }
    SimNode peer = sim.peerOf(this);
    if (now.state() == org.bulwark.api.module.ModuleState.ALONE
        && peer.alive
        && peer.label().state() == org.bulwark.api.module.ModuleState.WAIT
        && !"up".equals(peer.resources.get("rfs.syncat"))) {
      sim.syncatAloneFacingWait++;
    }
  }

  private void replication(Action.Replication r, long inc) {
    switch (r.op()) {
      case START_SECONDARY -> {
        reintegrating = true;
        synced = false;
        streamLost = false;
        connected = false;
        resources.put("rfs.degraded", "down"); // as ModuleRfs.startSecondary
        secondaryStarts.add(r.argument());
        // swap nosync (spec C.10): no comparison of the trees, the session is synchronous at once
        long pass = r.argument().equals("nosync") ? 1 : Simulation.REINTEGRATION;
        sim.schedule(pass, () -> reintegrationCheck(inc));
      }
      case STOP_SECONDARY -> {
        reintegrating = false;
        synced = false;
        streamLost = false;
        connected = false;
      }
      case START_PRIMARY, STOP_PRIMARY -> {
        // a new replica, or the end of the failed one (spec C.7: stop and start)
        serving = r.op() == Action.ReplicationOp.START_PRIMARY;
        replicationFailed = false;
        resources.put("rfs.degraded", "down");
      }
      case DETACH_SECONDARY -> {
        // the automaton gave its secondary up (heartbeats lost): the session ends at once, and
        // with it the secondary's stream if it is still there
        SimNode s = sim.peerOf(this);
        long sinc = s.incarnation;
        sim.schedule(
            0,
            () -> {
              if (s.alive && s.incarnation == sinc && (s.connected || s.reintegrating)) {
                s.replicationLost();
              }
            });
      }
      default -> {}
    }
  }

  private void after(List<Action> actions) {
    persisted = driver.state().data();
    long w = driver.nextWakeup();
    if (w < tickAt) {
      tickAt = w;
      long inc = incarnation;
      sim.scheduleAt(
          w,
          () -> {
            if (tickAt == w) {
              tick(inc);
            }
          });
    }
  }
}
