package org.bulwark.automaton;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Test;

/**
 * Two {@link MirrorDriver}s joined by a perfect, instant network on a manual clock: start on two
 * servers ends PRIM/SECOND (spec C.2), a clean stop fails over at once (remote stop), a crash fails
 * over after the heartbeat timeout (spec B.4, C.2), scripts taking no time.
 */
public class MirrorDriverTest {

  private static final class Pair {
    final MirrorDriver[] d = new MirrorDriver[2];
    final boolean[] alive = {true, true};
    long now;
    final Deque<Object[]> inbox = new ArrayDeque<>();

    Pair(HeartConfig heart, DataFreshness d1, DataFreshness d2) {
      d[0] = new MirrorDriver("mirror", ServiceSettings.defaults("node1"), heart, d1, 1, 0);
      d[1] = new MirrorDriver("mirror", ServiceSettings.defaults("node2"), heart, d2, 1, 0);
    }

    void exec(int i, List<Action> actions) {
      for (Action a : actions) {
        if (!alive[i]) {
          return;
        }
        if (a instanceof Action.RunScript r) {
          inbox.add(new Object[] {i, r.token()});
        } else if (a instanceof Action.SendHeartbeat s && alive[1 - i]) {
          inbox.add(new Object[] {1 - i, s.message()});
        } else if (a instanceof Action.Vip v) {
          inbox.add(new Object[] {i, v.token()});
        } else if (a instanceof Action.Replication r) {
          inbox.add(new Object[] {i, r.token()});
          if (r.op() == Action.ReplicationOp.START_SECONDARY) {
            inbox.add(new Object[] {i, "reintegrated"});
          }
        }
      }
      drain();
    }

    private void drain() {
      while (!inbox.isEmpty()) {
        Object[] m = inbox.removeFirst();
        int i = (Integer) m[0];
        if (!alive[i]) {
          continue;
        }
        if (m[1] instanceof Long token) {
          exec(i, d[i].scriptDone(token, 0, now));
        } else if (m[1] instanceof HeartbeatMessage hb) {
          exec(i, d[i].heartbeat("0", hb, now));
        } else {
          exec(i, d[i].reintegration(true, now));
        }
      }
    }

    void command(int i, Verb v) {
      exec(i, d[i].command(Event.Command.admin(v), now));
    }

    /** Advances the clock to the next wakeup of a live node, at most to {@code until}. */
    void runUntil(long until) {
      while (true) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
          if (alive[i]) {
            next = Math.min(next, d[i].nextWakeup());
          }
        }
        if (next > until) {
          now = until;
          return;
        }
        now = Math.max(now, next);
        for (int i = 0; i < 2; i++) {
          if (alive[i] && d[i].nextWakeup() <= now) {
            exec(i, d[i].tick(now));
          }
        }
      }
    }

    LocalState state(int i) {
      return d[i].state().local();
    }
  }

  private static final LocalState PRIM_READY = LocalState.of(ModuleState.PRIM, Readiness.READY);
  private static final LocalState SECOND_READY = LocalState.of(ModuleState.SECOND, Readiness.READY);
  private static final LocalState ALONE_READY = LocalState.of(ModuleState.ALONE, Readiness.READY);

  private static Pair started(HeartConfig heart) {
    Pair p = new Pair(heart, Run.UPTODATE, Run.STALE);
    p.command(0, Verb.START);
    p.command(1, Verb.START);
    p.runUntil(heart.pulse() * 3);
    assertEquals(PRIM_READY, p.state(0));
    assertEquals(SECOND_READY, p.state(1));
    return p;
  }

  @Test
  public void startOnTwoServers_endsPrimSecond() {
    started(HeartConfig.of(HeartConfig.DEFAULT_PULSE, HeartConfig.DEFAULT_TIMEOUT, "0"));
  }

  @Test
  public void cleanStopOfThePrim_failsOverWithoutWaitingForTheTimeout() {
    Pair p = started(HeartConfig.of(700, 30_000, "0"));
    long t0 = p.now;
    p.command(0, Verb.STOP);
    assertEquals(LocalState.STOPPED, p.state(0));
    assertEquals(ALONE_READY, p.state(1));
    assertEquals(t0, p.now);
  }

  @Test
  public void crashOfThePrim_secondIsAloneWithinTimeoutPlusPulse() {
    for (long[] heart : new long[][] {{700, 30_000}, {100, 1_000}}) {
      Pair p = started(HeartConfig.of(heart[0], heart[1], "0"));
      p.runUntil(p.now + 5 * heart[0]);
      long crash = p.now;
      p.alive[0] = false;
      p.runUntil(crash + heart[1] + heart[0]);
      assertEquals(ALONE_READY, p.state(1));
      assertTrue(p.d[1].state().data().uptodate());
    }
  }
}
