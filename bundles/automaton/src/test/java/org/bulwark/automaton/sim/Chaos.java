package org.bulwark.automaton.sim;

import java.util.Random;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;

/** The random phase of a scenario: commands at random times, crashes, partitions, loss. */
final class Chaos {

  private static final Verb[] ADMIN = {
    Verb.START,
    Verb.START,
    Verb.START,
    Verb.STOP,
    Verb.STOP,
    Verb.PRIM,
    Verb.PRIM,
    Verb.SECOND,
    Verb.SWAP,
    Verb.SWAP,
    Verb.RESTART,
    Verb.STOPSTART,
    Verb.FORCESTOP,
    Verb.PRIMFORCE,
    Verb.FAILOVER_OFF,
    Verb.FAILOVER_ON,
    Verb.SECONDFORCE,
    Verb.SHUTDOWN
  };

  private final Simulation sim;
  private final Random rnd;

  Chaos(Simulation sim) {
    this.sim = sim;
    this.rnd = sim.rnd;
  }

  void plan(long duration) {
    for (SimNode n : sim.nodes) {
      sim.scheduleAt(rnd.nextInt(300), () -> n.command(Event.Command.admin(Verb.START)));
    }
    int count = 6 + rnd.nextInt(15);
    for (int i = 0; i < count; i++) {
      long t = 300 + (long) (rnd.nextDouble() * (duration - 300));
      int kind = rnd.nextInt(100);
      SimNode n = sim.nodes[rnd.nextInt(2)];
      if (kind < 50) {
        sim.scheduleAt(t, () -> command(n));
      } else if (kind < 62) {
        sim.scheduleAt(t, () -> crash(n));
      } else if (kind < 74) {
        long len = 300 + rnd.nextInt(2700);
        sim.scheduleAt(t, () -> partition(len));
      } else if (kind < 82) {
        long len = 300 + rnd.nextInt(2700);
        sim.scheduleAt(t, () -> cutSecondLan(len));
      } else if (kind < 90) {
        long len = 500 + rnd.nextInt(3000);
        sim.scheduleAt(t, () -> lossy(len));
      } else if (kind < 95) {
        sim.scheduleAt(t, () -> n.replicationLost());
      } else {
        sim.scheduleAt(t, () -> checker(n));
      }
    }
  }

  private void command(SimNode n) {
    Verb v = ADMIN[rnd.nextInt(ADMIN.length)];
    String arg = "";
    if (v == Verb.SECONDFORCE) {
      arg = "2026-01-01";
    } else if ((v == Verb.PRIM || v == Verb.SECOND) && rnd.nextBoolean()) {
      arg = "fullsync";
    }
    n.lastDisturbed = sim.now;
    n.command(new Event.Command(v, Origin.admin("root"), arg));
  }

  /** What checkers and errd do: restart/stopstart with -i, wait/wakeup from rules (spec B.19). */
  private void checker(SimNode n) {
    n.lastDisturbed = sim.now;
    switch (rnd.nextInt(4)) {
      case 0 -> n.command(Event.Command.of(Verb.RESTART, Origin.identity("errd")));
      case 1 -> n.command(Event.Command.of(Verb.STOPSTART, Origin.identity("errd")));
      case 2 -> n.command(Event.Command.of(Verb.WAIT, Origin.rule("module_failure")));
      default -> n.command(Event.Command.of(Verb.WAKEUP, Origin.rule("Implicit_wakeup")));
    }
  }

  private void crash(SimNode n) {
    if (!n.alive) {
      return;
    }
    boolean wasPrimary = n.primary();
    n.crash();
    if (wasPrimary) {
      sim.invariants.primaryCrashed(n);
    }
    long down = 200 + rnd.nextInt(3000);
    boolean bootStart = rnd.nextBoolean();
    sim.schedule(
        down,
        () -> {
          if (n.alive) {
            return;
          }
          n.reboot();
          if (bootStart) {
            n.command(Event.Command.of(Verb.START, Origin.boot()));
          }
        });
  }

  private void disturbAll() {
    for (SimNode n : sim.nodes) {
      n.lastDisturbed = sim.now;
    }
  }

  private void partition(long len) {
    sim.trace.add(sim.now, "-", "PARTITION", len + " ms");
    disturbAll();
    sim.net.cutAll(sim.now);
    sim.schedule(
        len,
        () -> {
          sim.trace.add(sim.now, "-", "HEAL", "");
          disturbAll();
          sim.net.healAll(sim.now);
        });
  }

  /** Losing one of several lans is not a peer failure (spec B.4). */
  private void cutSecondLan(long len) {
    if (sim.net.lans < 2) {
      return;
    }
    sim.trace.add(sim.now, "-", "CUT lan 1", len + " ms");
    sim.net.cutOne(1);
    sim.schedule(
        len,
        () -> {
          if (sim.net.connected()) {
            sim.net.cut[1] = false;
          }
        });
  }

  private void lossy(long len) {
    double loss = 0.02 + rnd.nextDouble() * 0.08;
    double dup = rnd.nextDouble() * 0.1;
    sim.trace.add(sim.now, "-", "LOSSY", "loss=" + loss + " dup=" + dup + " for " + len);
    sim.net.loss = loss;
    sim.net.duplicate = dup;
    sim.schedule(
        len,
        () -> {
          sim.net.loss = 0;
          sim.net.duplicate = 0;
        });
  }
}
