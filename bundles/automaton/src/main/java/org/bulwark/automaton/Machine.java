package org.bulwark.automaton;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLevel;

/**
 * Working copy of an automaton during one step: mutable inside the step, snapshotted into an
 * immutable state at the end, so the step stays a pure function of (state, now, event). Holds what
 * mirror and farm share: the plan runner (spec E.4) and maxloop (spec B.3). Every command goes
 * through {@link Commands} first.
 */
abstract class Machine {

  static final String HEART = "heart";

  final ServiceSettings settings;
  LocalState local;
  Plan plan;
  Block block;
  String blockRule;
  int loopCount;
  long loopSince;
  Event.Command pending;
  long nextToken;
  // a resource read by a wait rule is init: WAIT is held Transient (spec B.11)
  boolean initPending;
  long now;
  final List<Action> out = new ArrayList<>();

  Machine(Core c, long now) {
    this.settings = c.settings();
    this.local = c.local();
    this.plan = c.plan();
    this.block = c.block();
    this.blockRule = c.blockRule();
    this.loopCount = c.loopCount();
    this.loopSince = c.loopSince();
    this.pending = c.pending();
    this.nextToken = c.nextToken();
    this.initPending = c.initPending();
    this.now = now;
  }

  Core core() {
    return new Core(
        settings,
        local,
        plan,
        block,
        blockRule,
        loopCount,
        loopSince,
        pending,
        nextToken,
        initPending);
  }

  // ---- hooks of the concrete automaton ----

  /** Decide what to do in a stable state (no plan running). */
  abstract void evaluate();

  /** Readiness at the end of a plan that reached {@code target}. */
  abstract void settle(ModuleState target);

  /**
   * Handle a command of this automaton alone (start; the mirror's role and failover commands) when
   * no plan runs; reply through {@link #reply}. The shared ones go through {@link Commands}.
   */
  abstract void command(Event.Command c);

  abstract boolean mirror();

  /** The running states restart applies to, in the order its refusal names them (spec F.3). */
  abstract List<ModuleState> roles();

  /** Added to {@code stopstart refused: module is stopped}: the mirror points to start. */
  String stopstartHint() {
    return "";
  }

  void mark(PlanStep.Marker m) {}

  void onTick() {}

  // ---- step entry ----

  final void handle(Event e) {
    if (e instanceof Event.Command c) {
      new Commands(this).intake(c);
    } else if (e instanceof Event.ScriptDone d) {
      scriptDone(d);
    } else if (e instanceof Event.Tick) {
      expireLoop();
      onTick();
    } else if (e instanceof Event.InitPending p) {
      initPending = p.pending();
    } else {
      other(e);
    }
    if (plan == null) {
      evaluate();
    }
  }

  void other(Event e) {}

  private void scriptDone(Event.ScriptDone d) {
    if (plan == null || plan.awaiting() != d.token()) {
      return; // a late answer for a plan that was replaced: nothing waits for it
    }
    if (pending != null) {
      Event.Command c = pending;
      pending = null;
      plan = null;
      beginStop(c);
      return;
    }
    if (answered(d)) {
      return;
    }
    plan = plan.resumed();
    run();
  }

  /**
   * Whether the wait that blocks this module is one the automaton knows still holds, so that a
   * wakeup does not lift it (the mirror's {@code splitbrain_failure}).
   */
  boolean waitStillHolds() {
    return false;
  }

  /**
   * A wait the automaton takes in its own way, answered here (the mirror's {@code
   * notuptodate_server}); false for every other wait.
   */
  boolean dataWait(Event.Command c) {
    return false;
  }

  /** A witness question went out with {@code token} (mirror only). */
  void witnessAsked(long token) {}

  /**
   * Whether this answer was taken over by the concrete automaton (the plan replaced); false to let
   * the plan go on.
   */
  boolean answered(Event.ScriptDone d) {
    return false;
  }

  // ---- plans ----

  final void begin(List<PlanStep> steps, ModuleState target, boolean thenStart) {
    plan = new Plan(steps, 0, target, thenStart);
    run();
  }

  private void run() {
    while (plan != null && plan.awaiting() == 0) {
      if (plan.steps().isEmpty()) {
        finish();
        return;
      }
      PlanStep s = plan.steps().get(0);
      if (s instanceof PlanStep.Script sc) {
        long t = ++nextToken;
        out.add(new Action.RunScript(sc.name(), sc.args(), t));
        plan = plan.next(t);
      } else if (s instanceof PlanStep.Transition tr) {
        {
          setLocal(LocalState.of(tr.to(), tr.level()));
          long t = ++nextToken;
          out.add(
              new Action.RunScript(
                  "transition", List.of(tr.from().name(), tr.to().name(), tr.action()), t));
          plan = plan.next(t);
        }
      } else if (s instanceof PlanStep.Replicate rp) {
        long t = ++nextToken;
        out.add(new Action.Replication(rp.op(), rp.argument(), t));
        plan = plan.next(t);
      } else if (s instanceof PlanStep.Address ad) {
        long t = ++nextToken;
        out.add(new Action.Vip(ad.set(), t));
        plan = plan.next(t);
      } else if (s instanceof PlanStep.Emit em) {
        out.add(em.action());
        plan = plan.next(0);
      } else if (s instanceof PlanStep.Witness) {
        long t = ++nextToken;
        out.add(new Action.AskWitness(t));
        plan = plan.next(t);
        witnessAsked(t);
      } else if (s instanceof PlanStep.Mark mk) {
        mark(mk.marker());
        plan = plan.next(0);
      }
    }
  }

  private void finish() {
    ModuleState target = plan.target();
    boolean again = plan.thenStart();
    plan = null;
    settle(target);
    if (again && local.state() == ModuleState.STOP) {
      Event.Command auto = Event.Command.of(Verb.START, Origin.automatic());
      logAction(auto);
      startFromStop(auto);
    }
  }

  /** Start from STOP; the mirror overrides it to record the start intent. */
  void startFromStop(Event.Command c) {
    block = Block.NONE;
    begin(Plans.start(), ModuleState.WAIT, false);
  }

  /** Stop (or forcestop, shutdown) from whatever state the label shows now. */
  final void beginStop(Event.Command c) {
    String action = "stop";
    if (c.verb() == Verb.FORCESTOP) {
      begin(Plans.forceStop(local.state(), mirror()), ModuleState.STOP, false);
    } else if (local.state() == ModuleState.WAIT) {
      begin(Plans.toStop(action), ModuleState.STOP, false);
    } else {
      begin(Plans.stop(local.state(), action, mirror()), ModuleState.STOP, false);
    }
  }

  // ---- maxloop (spec B.3) ----

  /**
   * Accounts an action: an error-triggered one increments the counter, an administrative one resets
   * it. Returns false when the limit is passed: the caller stops the module instead.
   */
  final boolean loopAllows(Origin o) {
    if (!o.countsForLoop()) {
      if (o.kind() == Origin.Kind.ADMIN && loopCount != 0) {
        loopCount = 0;
        out.add(new Action.SetResource("heart.stopstartloop", "0", o.name()));
      }
      return true;
    }
    if (settings.loopIntervalMillis() == 0) {
      return true;
    }
    expireLoop();
    if (loopCount == 0) {
      loopSince = now;
    }
    loopCount++;
    out.add(new Action.SetResource("heart.stopstartloop", Long.toString(loopSince), o.name()));
    return loopCount <= settings.maxloop();
  }

  /** Zeroes the counter once loop_interval passed since it was initialised (spec B.3). */
  final void expireLoop() {
    long interval = settings.loopIntervalMillis();
    if (loopCount > 0 && interval > 0 && now - loopSince >= interval) {
      loopCount = 0;
    }
  }

  /** The maxloop stop: {@code Action stop called by maxloop}, module ends STOP NotReady. */
  final void maxloopStop() {
    Event.Command c = Event.Command.of(Verb.STOP, new Origin(Origin.Kind.IDENTITY, "maxloop"));
    logAction(c);
    if (local.state() == ModuleState.STOP) {
      return;
    }
    block = Block.NONE;
    beginStop(c);
  }

  // ---- emit helpers ----

  final void setLocal(LocalState s) {
    if (!s.equals(local)) {
      local = s;
      out.add(new Action.StateChanged(s));
      log(EventLevel.E, "Local state " + s);
    }
  }

  final void setReadiness(Readiness r) {
    setLocal(LocalState.of(local.state(), r));
  }

  final void log(EventLevel level, String message) {
    out.add(new Action.Log(level, HEART, message));
  }

  final void logAction(Event.Command c) {
    EventLevel level = c.origin().kind() == Origin.Kind.ADMIN ? EventLevel.U : EventLevel.E;
    String word = c.verb().word();
    out.add(new Action.Log(level, HEART, c.origin().actionLine(word)));
  }

  final void reply(Event.Command c, boolean ok, String message) {
    out.add(new Action.Reply(c.verb(), ok, message));
  }

  /** An event this automaton cannot handle in this state: fail loudly with from→to. */
  static IllegalStateException illegal(LocalState from, Object to) {
    return new IllegalStateException("illegal transition " + from + " -> " + to);
  }
}
