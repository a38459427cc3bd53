package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;

import java.util.List;
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
 * WAIT NotReady   wait (rule) again      WAIT NotReady             none (not logged, not counted, B.19)
 * UP, WAIT        stop, shutdown         WAIT -> STOP              stop_*; transition; stop_* force; poststop; transition
 * any             forcestop              STOP                      kill; stop_* force; poststop; transition
 * UP, WAIT        stopstart              STOP -> WAIT -> UP        stop then start (Action start called automatically)
 * restart/stopstart/wait with -i or from a rule past maxloop: Action stop called by maxloop, stop.
 * </pre>
 *
 * <p>Only start is the farm's own command; the others take the path shared with the mirror, {@link
 * Commands} (spec F.3), with UP as the only role restart applies to.
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

    private static final List<ModuleState> ROLES = List.of(UP);

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
      if (initPending) {
        setReadiness(Readiness.TRANSIENT); // a checker has not answered yet (spec B.11)
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
    List<ModuleState> roles() {
      return ROLES;
    }

    /** Start; stop, restart, stopstart, wait and wakeup are shared with the mirror (Commands). */
    @Override
    void command(Event.Command c) {
      if (c.verb() != Verb.START) {
        reply(c, false, c.verb().word() + " refused: not a farm command");
        return;
      }
      if (local.state() != STOP) {
        reply(c, false, "start refused: module already started (" + local + ")");
        return;
      }
      logAction(c);
      loopAllows(c.origin());
      reply(c, true, "start accepted");
      startFromStop(c);
    }
  }
}
