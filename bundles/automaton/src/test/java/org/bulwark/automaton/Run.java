package org.bulwark.automaton;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;

/**
 * Drives one automaton in tests: every event is followed by the completion of the scripts it
 * started (exit 0, in order), as a runtime would, and the actions are kept for golden assertions.
 */
final class Run {

  MirrorState mirror;
  FarmState farm;
  long now = 1_000;
  private final Deque<Long> running = new ArrayDeque<>();
  private final java.util.Set<Long> witnessQuestions = new java.util.HashSet<>();

  /** What the witnesses answer when asked (spec C.8). */
  boolean witnessReached = true;

  /**
   * A secondary is attached as soon as the primary's replication starts or detaches its secondary,
   * as the module runtime says for a mirror without {@code <rfs>}: ALONE then becomes PRIM on the
   * peer's SECOND alone. False to give {@link Event.SecondaryAttached} by hand (spec C.7).
   */
  boolean attachOnStart = true;

  private final java.util.Set<Long> primaryStarts = new java.util.HashSet<>();

  static Run mirror(ServiceSettings s, DataFreshness d) {
    Run r = new Run();
    r.mirror = MirrorState.initial(s, d);
    return r;
  }

  static Run farm(ServiceSettings s) {
    Run r = new Run();
    r.farm = FarmState.initial(s);
    return r;
  }

  /**
   * The failover machine beside a mirror automaton, with the internal rules of its policy, as the
   * module runtime runs it (null until the first mirror step; {@link #withoutRules} for none).
   */
  RulesHarness rules;

  private boolean rulesOn = true;

  /** Drives the automaton alone: no failover machine evaluates after the events. */
  Run withoutRules() {
    rulesOn = false;
    return this;
  }

  /**
   * Delivers the event, then completes scripts until nothing runs, then lets the failover machine
   * evaluate (handle_time 0) and delivers what it decides, until it decides nothing new; returns
   * every action but the replies to the machine's commands.
   */
  List<Action> on(Event e) {
    List<Action> out = new ArrayList<>();
    if (rules != null
        && e instanceof Event.ResourceSet rs
        && MirrorDriver.READ_BY_AUTOMATON.contains(rs.name())) {
      rules.set(rs.name(), rs.value()); // the runtime sets it, then tells the automaton
    }
    deliver(e, out);
    evaluateRules(out);
    return out;
  }

  private void deliver(Event e, List<Action> out) {
    step(e, out);
    while (!running.isEmpty()) {
      now += 10;
      long t = running.removeFirst();
      int exit = witnessQuestions.remove(t) && !witnessReached ? 1 : 0;
      step(new Event.ScriptDone(t, exit), out);
      if (primaryStarts.remove(t) && attachOnStart) {
        step(new Event.SecondaryAttached(), out);
      }
    }
  }

  private void evaluateRules(List<Action> out) {
    if (!rulesOn || mirror == null) {
      return;
    }
    if (rules == null) {
      rules = new RulesHarness(RulesHarness.rules(mirror.policy(), 1000, 0).compile().orThrow());
      rules.seen(out);
    }
    for (int round = 0; round < 5; round++) {
      boolean progress = false;
      for (RulesHarness.Decided d :
          rules.decide(mirror, RulesHarness.remoteOf(mirror.peer()), now, false)) {
        List<Action> a = new ArrayList<>();
        deliver(d.event(), a);
        a.removeIf(x -> x instanceof Action.Reply);
        out.addAll(a);
        progress |= !d.decision().repeat(); // a refused assignment: decided again, bounded
      }
      if (!progress) {
        return;
      }
    }
  }

  /** Delivers the event without completing its scripts. */
  List<Action> only(Event e) {
    List<Action> out = new ArrayList<>();
    step(e, out);
    return out;
  }

  private void step(Event e, List<Action> out) {
    List<Action> a;
    if (mirror != null) {
      Step<MirrorState> s = MirrorAutomaton.step(mirror, now, e);
      mirror = s.state();
      a = s.actions();
    } else {
      Step<FarmState> s = FarmAutomaton.step(farm, now, e);
      farm = s.state();
      a = s.actions();
    }
    for (Action x : a) {
      if (x instanceof Action.RunScript r) {
        running.addLast(r.token());
      } else if (x instanceof Action.Replication r) {
        running.addLast(r.token()); // replication steps are awaited like scripts
        if (r.op() == Action.ReplicationOp.START_PRIMARY
            || r.op() == Action.ReplicationOp.DETACH_SECONDARY) {
          primaryStarts.add(r.token()); // attached after it, as without <rfs>
        }
      } else if (x instanceof Action.AskWitness w) {
        running.addLast(w.token()); // the ping of the witnesses is awaited too
        witnessQuestions.add(w.token());
      } else if (x instanceof Action.Vip v) {
        running.addLast(v.token()); // and so are the virtual IPs
      }
    }
    out.addAll(a);
    if (rules != null) {
      rules.seen(a);
    }
  }

  LocalState local() {
    return mirror != null ? mirror.local() : farm.local();
  }

  static List<String> scripts(List<Action> a) {
    return a.stream()
        .filter(x -> x instanceof Action.RunScript)
        .map(x -> (Action.RunScript) x)
        .map(r -> (r.name() + " " + String.join(" ", r.args())).trim())
        .collect(Collectors.toList());
  }

  /** The position of the replication operation in the actions, -1 if absent. */
  /** Index of the VIP step setting ({@code set}) or removing the addresses, -1 when none. */
  static int indexOfVip(List<Action> a, boolean set) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) instanceof Action.Vip v && v.set() == set) {
        return i;
      }
    }
    return -1;
  }

  static int indexOfReplication(List<Action> a, Action.ReplicationOp op, String argument) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) instanceof Action.Replication r
          && r.op() == op
          && r.argument().equals(argument)) {
        return i;
      }
    }
    return -1;
  }

  static List<String> logs(List<Action> a) {
    return a.stream()
        .filter(x -> x instanceof Action.Log)
        .map(x -> ((Action.Log) x).message())
        .collect(Collectors.toList());
  }

  static Action.Reply reply(List<Action> a) {
    return a.stream()
        .filter(x -> x instanceof Action.Reply)
        .map(x -> (Action.Reply) x)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no reply in " + a));
  }

  static LocalState ls(ModuleState s, Readiness r) {
    return LocalState.of(s, r);
  }

  static Event cmd(Verb v) {
    return Event.Command.admin(v);
  }

  /** The peer as heartbeats would show it. */
  static Event peer(ModuleState s, Readiness r, long gen, long tenure) {
    return new Event.PeerChanged(
        new PeerView(
            PeerView.Presence.PRESENT,
            "node2",
            "",
            LocalState.of(s, r),
            // a SECOND Ready peer is synchronised: its heartbeats say up to date, as a real one's
            new DataFreshness(
                s.isPrimary() || (s == ModuleState.SECOND && r == Readiness.READY),
                gen,
                s.isPrimary(),
                true,
                0,
                tenure),
            false,
            false,
            false,
            false,
            false));
  }

  static Event peerGone(String reason) {
    return new Event.PeerChanged(PeerView.absent("node2", reason, DataFreshness.NEVER_SYNCED));
  }

  static final DataFreshness UPTODATE = new DataFreshness(true, 1, true, true, 0, 1);
  static final DataFreshness STALE = new DataFreshness(false, 1, false, true, 0, 1);
}
