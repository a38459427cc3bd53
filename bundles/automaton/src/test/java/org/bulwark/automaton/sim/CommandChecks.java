package org.bulwark.automaton.sim;

import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;

/**
 * The last phase of a scenario: from a converged pair, administrative commands whose outcome the
 * spec names (spec C.2, C.3, C.9, C.10, F.3), each checked once the cluster settled.
 */
final class CommandChecks {

  private static final long STEP = Simulation.SETTLE;
  private final Simulation sim;

  CommandChecks(Simulation sim) {
    this.sim = sim;
  }

  /** Schedules the rounds from {@code t}; returns the end time of the scenario. */
  long plan(long t) {
    int rounds = 3;
    for (int i = 0; i < rounds; i++) {
      long at = t + i * 2 * STEP;
      sim.scheduleAt(at, this::round);
    }
    return t + rounds * 2 * STEP;
  }

  private static final LocalState PRIM_READY = LocalState.of(ModuleState.PRIM, Readiness.READY);
  private static final LocalState SECOND_READY = LocalState.of(ModuleState.SECOND, Readiness.READY);
  private static final LocalState ALONE_READY = LocalState.of(ModuleState.ALONE, Readiness.READY);

  private void round() {
    SimNode a = sim.nodes[0];
    SimNode b = sim.nodes[1];
    if (!a.label().state().isPrimary() && !b.label().state().isPrimary()) {
      // C.3: nobody can vouch for the data; the operator runs stop then prim on one node.
      SimNode x = sim.nodes[sim.rnd.nextInt(2)];
      cmd(x, Verb.STOP);
      // C.11: after a stop during reintegration, prim is refused and primforce is the way
      sim.schedule(
          STEP / 2,
          () -> cmd(x, x.driver.state().data().consistent() ? Verb.PRIM : Verb.PRIMFORCE));
      expect(STEP * 2 - 10, x, PRIM_READY, sim.peerOf(x), SECOND_READY, "stop+prim (C.3)");
      return;
    }
    SimNode p = a.label().state().isPrimary() ? a : b;
    SimNode s = sim.peerOf(p);
    SimNode any = sim.nodes[sim.rnd.nextInt(2)];
    switch (sim.rnd.nextInt(7)) {
      case 0 -> {
        boolean nosync = sim.rnd.nextBoolean();
        int starts = p.secondaryStarts.size();
        any.command(new Event.Command(Verb.SWAP, Origin.admin("root"), nosync ? "nosync" : ""));
        String what = (nosync ? "swap nosync on " : "swap on ") + any.name + " (C.10)";
        expect(STEP, s, PRIM_READY, p, SECOND_READY, what);
        sim.schedule(STEP, () -> reintegrationPolicy(p, starts, nosync ? "nosync" : "", what));
      }
      case 1 -> {
        cmd(any, Verb.RESTART);
        expect(STEP, p, PRIM_READY, s, SECOND_READY, "restart on " + any.name);
      }
      case 2 -> {
        cmd(s, Verb.STOP);
        expect(STEP, p, ALONE_READY, s, LocalState.STOPPED, "stop of the secondary");
        sim.schedule(STEP + 1, () -> cmd(s, Verb.START));
        expect(2 * STEP - 10, p, PRIM_READY, s, SECOND_READY, "start of the secondary");
      }
      case 3 -> {
        cmd(p, Verb.STOP);
        expect(STEP, s, ALONE_READY, p, LocalState.STOPPED, "stop of the primary (failover)");
        sim.schedule(STEP + 1, () -> cmd(p, Verb.START));
        expect(2 * STEP - 10, s, PRIM_READY, p, SECOND_READY, "restart of the old primary");
      }
      case 4 -> {
        cmd(s, Verb.STOP);
        sim.schedule(STEP / 2, () -> refused(s, Verb.PRIM));
        sim.schedule(STEP / 2 + 1, () -> cmd(s, Verb.SECOND));
        expect(2 * STEP - 10, p, PRIM_READY, s, SECOND_READY, "prim refused, second (C.3)");
      }
      case 5 -> {
        cmd(p, Verb.STOPSTART);
        expect(2 * STEP - 10, s, PRIM_READY, p, SECOND_READY, "stopstart of the primary");
      }
      default -> {
        cmd(p, Verb.FAILOVER_OFF);
        cmd(s, Verb.FAILOVER_OFF);
        cmd(p, Verb.STOP);
        sim.schedule(
            STEP,
            () -> {
              if (!s.label().is(ModuleState.WAIT, Readiness.NOT_READY)) {
                sim.fail("failover off (C.9): " + s.name + " is " + s.label() + ", not WAIT");
              }
              cmd(p, Verb.START);
              cmd(s, Verb.FAILOVER_ON);
              cmd(p, Verb.FAILOVER_ON);
            });
        // C.9 "restarting the old primary restores PRIM/SECOND": either node may end PRIM
        sim.schedule(2 * STEP - 10, () -> sim.invariants.checkConverged("failover off (C.9)"));
      }
    }
  }

  /**
   * The former primary followed its peer with {@code policy}: {@code nosync} skips the comparison
   * of the trees, a plain swap reintegrates (spec C.10).
   */
  private void reintegrationPolicy(SimNode p, int before, String policy, String what) {
    if (p.secondaryStarts.size() <= before || !p.secondaryStarts.get(before).equals(policy)) {
      sim.fail(
          what
              + ": "
              + p.name
              + " should have started as secondary with policy '"
              + policy
              + "', started with "
              + p.secondaryStarts.subList(before, p.secondaryStarts.size()));
    }
  }

  private void cmd(SimNode n, Verb v) {
    n.command(Event.Command.admin(v));
  }

  private void refused(SimNode n, Verb v) {
    int before = n.replies;
    n.command(Event.Command.admin(v));
    if (n.label().state() != ModuleState.STOP || n.replies != before + 1) {
      sim.fail(v + " on " + n.name + " should be refused while the peer is primary");
    }
  }

  private void expect(long after, SimNode x, LocalState sx, SimNode y, LocalState sy, String what) {
    sim.schedule(
        after,
        () -> {
          boolean ok = x.label().equals(sx) && y.label().equals(sy);
          // defaultprim = a node name: that node takes PRIM back right after reintegration (C.10)
          boolean preferred = y.settings.defaultprim().equals(y.name);
          if (!ok && preferred && sx.equals(PRIM_READY) && sy.equals(SECOND_READY)) {
            ok = y.label().equals(PRIM_READY) && x.label().equals(SECOND_READY);
          }
          if (!ok) {
            sim.fail(
                what
                    + ": expected "
                    + x.name
                    + " "
                    + sx
                    + ", "
                    + y.name
                    + " "
                    + sy
                    + " but got "
                    + x.label()
                    + ", "
                    + y.label());
          }
        });
  }
}
