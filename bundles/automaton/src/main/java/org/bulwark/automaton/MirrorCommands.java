package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.WAIT;

import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLevel;

/**
 * Mirror control commands (spec F.3, C.3, C.9–C.12) taken in a stable state: each one is either
 * refused with a clear message or starts the plan that leads to the state the spec names.
 */
final class MirrorCommands {

  private final MirrorMachine m;

  MirrorCommands(MirrorMachine m) {
    this.m = m;
  }

  void handle(Event.Command c) {
    ModuleState s = m.local.state();
    switch (c.verb()) {
      case START, PRIM, PRIMFORCE, SECOND, SECONDFORCE -> start(c, s);
      case STOP, SHUTDOWN, FORCESTOP -> stop(c, s);
      case RESTART -> restart(c);
      case STOPSTART -> stopstart(c, s);
      case SWAP -> swap(c);
      case FAILOVER_ON, FAILOVER_OFF -> {
        m.failover = c.verb() == Verb.FAILOVER_ON;
        m.out.add(
            new Action.SetResource(
                "usersetting.failover", m.failover ? "on" : "off", c.origin().name()));
        m.reply(c, true, "failover " + (m.failover ? "on" : "off"));
      }
      case WAIT -> waitFor(c, s);
      case WAKEUP -> wakeup(c);
    }
  }

  /** start, prim, second, primforce, secondforce: only from STOP (spec C.3, F.3). */
  private void start(Event.Command c, ModuleState s) {
    String w = c.verb().word();
    if (s != STOP) {
      m.reply(c, false, w + " refused: module already started (" + m.local + "); stop it first");
      return;
    }
    PeerView p = m.peer;
    boolean wantsPrim = c.verb() == Verb.PRIM || c.verb() == Verb.PRIMFORCE;
    if (wantsPrim && p.primary()) {
      m.reply(
          c,
          false,
          w + " refused: the peer " + p.node() + " is already primary (" + p.state() + ")");
      return;
    }
    if ((c.verb() == Verb.SECOND || c.verb() == Verb.SECONDFORCE) && !p.primary()) {
      m.reply(
          c, false, w + " refused: the peer is not primary (Remote state " + p.remoteLabel() + ")");
      return;
    }
    m.logAction(c);
    m.loopAllows(c.origin());
    if (c.verb() == Verb.PRIMFORCE) {
      // The operator vouches for this data (spec C.11): consistent, and the peer gets a full copy.
      m.data = m.data.withConsistent(true);
    }
    m.reply(c, true, w + " accepted");
    m.startFromStop(c);
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
  private void restart(Event.Command c) {
    ModuleState s = m.local.state();
    if (!MirrorMachine.running(s) || m.local.readiness() != Readiness.READY) {
      m.reply(c, false, "restart refused: module is " + m.local + ", not ALONE/PRIM/SECOND Ready");
      return;
    }
    m.logAction(c);
    m.reply(c, true, "restart accepted");
    if (!m.loopAllows(c.origin())) {
      m.maxloopStop();
      return;
    }
    m.setReadiness(Readiness.TRANSIENT);
    m.begin(Plans.restart(s), s, false);
  }

  /** stopstart: full stop then automatic start; on PRIM the peer takes over (spec F.3). */
  private void stopstart(Event.Command c, ModuleState s) {
    if (s == STOP) {
      m.reply(c, false, "stopstart refused: module is stopped; use start");
      return;
    }
    m.logAction(c);
    m.reply(c, true, "stopstart accepted");
    if (!m.loopAllows(c.origin())) {
      m.maxloopStop();
      return;
    }
    m.block = Block.NONE;
    m.begin(Plans.stop(s, "stopstart", true), STOP, true);
  }

  /** swap: exchange PRIM and SECOND (spec C.10); either node may ask. */
  private void swap(Event.Command c) {
    boolean ready = m.local.readiness() == Readiness.READY;
    boolean peerReady = m.peer.present() && m.peer.state().readiness() == Readiness.READY;
    if (m.is(PRIM) && ready && m.peer.in(SECOND) && peerReady) {
      m.logAction(c);
      m.loopAllows(c.origin());
      m.reply(c, true, "swap accepted");
      new MirrorRules(m).beginSwapAsPrim();
    } else if (m.is(SECOND) && ready && m.peer.in(PRIM) && peerReady) {
      m.logAction(c);
      m.loopAllows(c.origin());
      m.reply(c, true, "swap accepted");
      m.swapRequested = true;
    } else {
      m.reply(
          c,
          false,
          "swap refused: needs PRIM Ready and SECOND Ready (local "
              + m.local
              + ", remote "
              + m.peer.remoteLabel()
              + ")");
    }
  }

  /** wait from a checker or failover rule (spec B.19, C.13): WAIT NotReady until wakeup. */
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
    if (c.origin().kind() == Origin.Kind.RULE) {
      m.log(EventLevel.E, "Transition WAIT_TR from failover rule " + c.origin().name());
    }
    m.block = Block.RESOURCE;
    m.blockRule = c.origin().name();
    if (s != WAIT) {
      m.begin(Plans.toWait(s, "stopwait", true), WAIT, false);
    }
  }

  private void wakeup(Event.Command c) {
    if (m.block == Block.RESOURCE) {
      m.logAction(c);
      m.block = Block.NONE;
      m.blockRule = "";
      m.setReadiness(Readiness.TRANSIENT);
    }
    m.reply(c, true, "wakeup accepted");
  }
}
