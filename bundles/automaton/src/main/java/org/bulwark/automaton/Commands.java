package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.WAIT;

import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLevel;

/**
 * The one command path of farm and mirror (spec F.3, B.3, D.1, C.13): intake, the maxloop commands
 * and the control commands both automata share, so that an administrator, errd or a failover rule
 * (spec B.19) gets the same answer in every mode. What differs is asked of the {@link Machine}: the
 * roles restart applies to ({@link Machine#roles}), the stopstart refusal hint and the mirror flag
 * of the plans (spec E.4). Start and the mirror's own commands (role starts, swap, failover on|off)
 * stay with each automaton ({@link Machine#command}).
 *
 * <p>Shared commands in a stable state:
 *
 * <pre>
 * command                  state                  effect                                 maxloop
 * stop, shutdown,          STOP                   accepted, nothing to do                -
 *   forcestop              other                  stop plan (forcestop kills scripts)    count, never stops
 * restart                  role Ready             stop then start scripts of the role    count
 *                                                 (-Services "S1, S2" when it names them)
 *                          other                  refused
 * stopstart                STOP                   refused
 *                          other                  stop plan, then Action start called    count
 *                                                 automatically
 * wait (rule, checker)     STOP                   refused
 *                          blocked by a wait      accepted, not logged, nothing changes  -
 *                          other                  role scripts stopwait; WAIT NotReady   count
 * wakeup                   blocked by a wait      WAIT Transient, decided again          -
 *                          other                  accepted, nothing to do                -
 * </pre>
 *
 * "count" increments the maxloop counter for a rule or {@code -i} origin and resets it for an
 * administrator (spec B.3); past maxloop the module stops instead ({@code Action stop called by
 * maxloop}), except for the stop commands, which stop anyway.
 */
final class Commands {

  private final Machine m;

  Commands(Machine m) {
    this.m = m;
  }

  /**
   * Every command of both automata enters here: mirror verbs are refused on a farm, the maxloop
   * commands act in any state, a stop preempts a running transition at its next script end (spec
   * E.4) and anything else waits for a stable state; then the shared commands, then the automaton's
   * own.
   */
  void intake(Event.Command c) {
    if (c.verb() == Verb.WAIT && m.dataWait(c)) {
      return; // notuptodate_server, in any state: the mirror's arbitration decides (MirrorRules)
    }
    if (c.verb().mirrorOnly() && !m.mirror()) {
      m.reply(
          c,
          false,
          c.verb().word() + " refused: it is a mirror command and this module is not a mirror");
      return;
    }
    if (loopCommand(c)) {
      return;
    }
    boolean setting = c.verb() == Verb.FAILOVER_ON || c.verb() == Verb.FAILOVER_OFF;
    if (m.plan != null && !setting) {
      if (c.verb().stops()) {
        m.logAction(c);
        m.pending = c;
        if (c.verb() == Verb.FORCESTOP) {
          m.out.add(new Action.KillScripts());
        }
        m.reply(c, true, c.verb().word() + " accepted: runs when the current script ends");
      } else {
        m.reply(
            c,
            false,
            c.verb().word()
                + " refused: module in transition ("
                + m.local
                + "), retry when stable");
      }
      return;
    }
    if (!shared(c)) {
      m.command(c);
    }
  }

  /**
   * The maxloop commands of errd handlers and scripts (spec B.3, E.5): they act on the counter
   * only, in any state, and are refused (exit 1) when the limit is reached.
   */
  private boolean loopCommand(Event.Command c) {
    switch (c.verb()) {
      case INCLOOP -> {
        Origin counted =
            c.origin().countsForLoop() ? c.origin() : Origin.identity(c.origin().name());
        boolean allowed = m.loopAllows(counted);
        m.reply(c, allowed, allowed ? "incloop accepted" : "incloop: maxloop reached");
      }
      case RESETLOOP -> {
        m.loopCount = 0;
        m.out.add(new Action.SetResource("heart.stopstartloop", "0", c.origin().name()));
        m.reply(c, true, "resetloop accepted");
      }
      case CHECKLOOP -> {
        m.expireLoop();
        ServiceSettings s = m.settings;
        boolean below = s.loopIntervalMillis() == 0 || m.loopCount < s.maxloop();
        m.reply(c, below, below ? "checkloop: below maxloop" : "checkloop: maxloop reached");
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The stable-state commands both automata share; false leaves {@code c} to the automaton. */
  private boolean shared(Event.Command c) {
    ModuleState s = m.local.state();
    switch (c.verb()) {
      case STOP, SHUTDOWN, FORCESTOP -> stop(c, s);
      case RESTART -> restart(c, s);
      case STOPSTART -> stopstart(c, s);
      case WAIT -> waitFor(c, s);
      case WAKEUP -> wakeup(c);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void stop(Event.Command c, ModuleState s) {
    if (s == STOP) {
      m.reply(c, true, "module already stopped");
      return;
    }
    m.logAction(c);
    m.loopAllows(c.origin());
    if (c.verb() == Verb.FORCESTOP) {
      m.out.add(new Action.KillScripts());
    }
    m.block = Block.NONE;
    m.reply(c, true, c.verb().word() + " accepted");
    m.beginStop(c);
  }

  /** restart: stop and start scripts of the role, no state change, no failover (spec F.3). */
  private void restart(Event.Command c, ModuleState s) {
    if (!m.roles().contains(s) || m.local.readiness() != Readiness.READY) {
      String roles = String.join("/", m.roles().stream().map(ModuleState::name).toList());
      m.reply(c, false, "restart refused: module is " + m.local + ", not " + roles + " Ready");
      return;
    }
    m.logAction(c);
    m.reply(c, true, "restart accepted");
    if (!m.loopAllows(c.origin())) {
      m.maxloopStop();
      return;
    }
    transitionLine(c, "RESTART");
    m.setReadiness(Readiness.TRANSIENT);
    m.begin(Plans.restart(s, c.services()), s, false);
  }

  /** stopstart: full stop then automatic start; a mirror PRIM fails over (spec F.3). */
  private void stopstart(Event.Command c, ModuleState s) {
    if (s == STOP) {
      m.reply(c, false, "stopstart refused: module is stopped" + m.stopstartHint());
      return;
    }
    m.logAction(c);
    m.reply(c, true, "stopstart accepted");
    if (!m.loopAllows(c.origin())) {
      m.maxloopStop();
      return;
    }
    transitionLine(c, "STOPSTART");
    m.block = Block.NONE;
    m.begin(Plans.stop(s, "stopstart", m.mirror()), STOP, true);
  }

  /**
   * wait from a checker or failover rule (spec B.19, C.13, D.1): WAIT NotReady until wakeup. The
   * failover machine gives it again while its rule holds, so once blocked a repeated wait is only
   * acknowledged: logging or counting it would stop the module by maxloop (spec B.3) for one
   * resource that stays down.
   */
  private void waitFor(Event.Command c, ModuleState s) {
    if (s == STOP) {
      m.reply(c, false, "wait refused: module is stopped");
      return;
    }
    boolean already = m.block == Block.RESOURCE;
    if (!already) {
      m.logAction(c);
    }
    m.reply(c, true, "wait accepted");
    if (already) {
      return;
    }
    if (!m.loopAllows(c.origin())) {
      m.maxloopStop();
      return;
    }
    if (c.origin().fromRule()) {
      m.log(EventLevel.E, "Transition WAIT_TR from failover rule " + c.origin().name());
    }
    m.block = Block.RESOURCE;
    m.blockRule = c.origin().name();
    if (s != WAIT) {
      m.begin(Plans.toWait(s, "stopwait", m.mirror()), WAIT, false);
    }
  }

  /** {@code Transition RESTART|STOPSTART from failover rule t_db} (log index, spec B.19). */
  private void transitionLine(Event.Command c, String transition) {
    if (c.origin().fromRule()) {
      m.log(EventLevel.E, "Transition " + transition + " from failover rule " + c.origin().name());
    }
  }

  /** wakeup (spec B.19 Implicit_wakeup): lifts a wait; WAIT is decided again (Transient). */
  private void wakeup(Event.Command c) {
    if (m.block == Block.RESOURCE && !m.waitStillHolds()) {
      m.logAction(c);
      m.block = Block.NONE;
      m.blockRule = "";
      m.setReadiness(Readiness.TRANSIENT);
    }
    m.reply(c, true, "wakeup accepted");
  }
}
