package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;

import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;

/**
 * The farm and light automaton (spec D.1) as a pure step function. Remote nodes only change the
 * load share of an UP node, which is the membership's business, so no peer event reaches it.
 *
 * <pre>
 * state           event                  next                      scripts (E.4)
 * STOP            start                  WAIT Transient            transition; prestart
 * WAIT (free)     prestart done          UP Transient -> UP Ready  transition; start_both; start_prim; start_sec
 * WAIT NotReady   wakeup                 WAIT Transient -> UP      as above
 * UP Ready        restart                UP Transient -> UP Ready  stop_sec; stop_prim; stop_both; start_*
 * UP Ready        wait (rule)            WAIT NotReady             stop_sec; stop_prim; stop_both; transition
 * UP, WAIT        stop, shutdown         WAIT -> STOP              stop_*; transition; stop_* force; poststop; transition
 * any             forcestop              STOP                      kill; stop_* force; poststop; transition
 * UP, WAIT        stopstart              STOP -> WAIT -> UP        stop then start (Action start called automatically)
 * restart/stopstart/wait with -i or from a rule past maxloop: Action stop called by maxloop, stop.
 * </pre>
 */
public final class FarmAutomaton {

  private FarmAutomaton() {}

  /** One step: the new state and the ordered actions. */
  public static Step<FarmState> step(FarmState state, long now, Event event) {
    FarmMachine m = new FarmMachine(state.core, now);
    m.handle(event);
    return new Step<>(new FarmState(m.core()), m.out);
  }

  private static final class FarmMachine extends Machine {

    FarmMachine(Core c, long now) {
      super(c, now);
    }

    @Override
    boolean mirror() {
      return false;
    }

    @Override
    void evaluate() {
      if (local.state() != WAIT) {
        return;
      }
      if (block != Block.NONE) {
        setReadiness(Readiness.NOT_READY);
        return;
      }
      begin(Plans.fromWait(UP, ""), UP, false);
    }

    @Override
    void settle(ModuleState target) {
      switch (target) {
        case STOP -> {
          block = Block.NONE;
          setLocal(LocalState.STOPPED);
        }
        case UP -> setLocal(LocalState.of(UP, Readiness.READY));
        case WAIT ->
            setLocal(
                LocalState.of(
                    WAIT, block == Block.NONE ? Readiness.TRANSIENT : Readiness.NOT_READY));
        default -> throw illegal(local, target);
      }
    }

    @Override
    void command(Event.Command c) {
      ModuleState s = local.state();
      switch (c.verb()) {
        case START -> {
          if (s != STOP) {
            reply(c, false, "start refused: module already started (" + local + ")");
            return;
          }
          logAction(c);
          loopAllows(c.origin());
          reply(c, true, "start accepted");
          startFromStop(c);
        }
        case STOP, SHUTDOWN, FORCESTOP -> {
          if (s == STOP) {
            reply(c, true, "module already stopped");
            return;
          }
          logAction(c);
          loopAllows(c.origin());
          if (c.verb() == Verb.FORCESTOP) {
            out.add(new Action.KillScripts());
          }
          block = Block.NONE;
          reply(c, true, c.verb().word() + " accepted");
          beginStop(c);
        }
        case RESTART -> {
          if (!local.is(UP, Readiness.READY)) {
            reply(c, false, "restart refused: module is " + local + ", not UP Ready");
            return;
          }
          logAction(c);
          reply(c, true, "restart accepted");
          if (!loopAllows(c.origin())) {
            maxloopStop();
            return;
          }
          setReadiness(Readiness.TRANSIENT);
          begin(Plans.restart(UP), UP, false);
        }
        case STOPSTART -> {
          if (s == STOP) {
            reply(c, false, "stopstart refused: module is stopped");
            return;
          }
          logAction(c);
          reply(c, true, "stopstart accepted");
          if (!loopAllows(c.origin())) {
            maxloopStop();
            return;
          }
          block = Block.NONE;
          begin(Plans.stop(s, "stopstart", false), STOP, true);
        }
        case WAIT -> {
          if (s == STOP) {
            reply(c, false, "wait refused: module is stopped");
            return;
          }
          logAction(c);
          reply(c, true, "wait accepted");
          if (!loopAllows(c.origin())) {
            maxloopStop();
            return;
          }
          if (c.origin().kind() == Origin.Kind.RULE) {
            log(
                org.bulwark.api.store.EventLevel.E,
                "Transition WAIT_TR from failover rule " + c.origin().name());
          }
          block = Block.RESOURCE;
          blockRule = c.origin().name();
          if (s == UP) {
            begin(Plans.toWait(UP, "stopwait", false), WAIT, false);
          }
        }
        case WAKEUP -> {
          if (block == Block.RESOURCE) {
            logAction(c);
            block = Block.NONE;
            blockRule = "";
            setReadiness(Readiness.TRANSIENT);
          }
          reply(c, true, "wakeup accepted");
        }
        default -> reply(c, false, c.verb().word() + " refused: not a farm command");
      }
    }
  }
}
