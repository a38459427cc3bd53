package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;

import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;

/**
 * The mirror's own control commands (spec F.3, C.3, C.9–C.12) taken in a stable state: the start
 * variants, swap and failover on|off. Each one is either refused with a clear message or starts the
 * plan that leads to the state the spec names. Stop, restart, stopstart, wait and wakeup take the
 * path shared with the farm, {@link Commands}.
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
      case SWAP -> swap(c);
      case FAILOVER_ON, FAILOVER_OFF -> {
        m.failover = c.verb() == Verb.FAILOVER_ON;
        m.out.add(
            new Action.SetResource(
                "usersetting.failover", m.failover ? "on" : "off", c.origin().name()));
        m.reply(c, true, "failover " + (m.failover ? "on" : "off"));
      }
      default -> m.reply(c, false, c.verb().word() + " refused: not a mirror command");
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

  /**
   * swap: exchange PRIM and SECOND (spec C.10); either node may ask. {@code swap nosync}: the node
   * that becomes SECOND follows the new primary without comparing the trees. Same preconditions as
   * a swap: PRIM Ready and SECOND Ready, so both copies were equal when the application stopped;
   * the replication still checks that the pair shares its synchronisation point and falls back to a
   * plain reintegration when it does not (docs/replication.md).
   */
  private void swap(Event.Command c) {
    if (!c.argument().isEmpty() && !c.argument().equals("nosync")) {
      m.reply(c, false, "swap refused: unknown argument " + c.argument() + " (swap [nosync])");
      return;
    }
    boolean nosync = c.argument().equals("nosync");
    String accepted = nosync ? "swap nosync accepted" : "swap accepted";
    boolean ready = m.local.readiness() == Readiness.READY;
    boolean peerReady = m.peer.present() && m.peer.state().readiness() == Readiness.READY;
    if (m.is(PRIM) && ready && m.peer.in(SECOND) && peerReady) {
      m.logAction(c);
      m.loopAllows(c.origin());
      m.reply(c, true, accepted);
      new MirrorRules(m).beginSwapAsPrim(nosync);
    } else if (m.is(SECOND) && ready && m.peer.in(PRIM) && peerReady) {
      m.logAction(c);
      m.loopAllows(c.origin());
      m.reply(c, true, accepted);
      m.swapRequested = true;
      m.swapNosync = nosync; // carried on heartbeats to the PRIM, which becomes SECOND
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
}
