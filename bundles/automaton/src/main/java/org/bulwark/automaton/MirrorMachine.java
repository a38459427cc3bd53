package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.PRIM;
import static org.bulwark.api.module.ModuleState.SECOND;
import static org.bulwark.api.module.ModuleState.STOP;
import static org.bulwark.api.module.ModuleState.WAIT;

import java.util.List;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLevel;

/**
 * Working copy of a mirror state for one step: commands (spec F.3), plan-end readiness, data
 * bookkeeping (spec C.4–C.6) and the peer observations. The decisions taken in stable states live
 * in {@link MirrorRules}.
 */
final class MirrorMachine extends Machine {

  boolean failover;
  PeerView peer;
  DataFreshness data;
  Intent intent;
  String intentArg;
  boolean swapRequested;
  boolean swapping;

  /** The swap asked or handed over in is {@code swap nosync} (spec C.10). */
  boolean swapNosync;

  boolean defaultprimDone;
  boolean reintegrated;
  boolean splitBrainLogged;
  final ReplicationPolicy policy;
  String synced;
  String syncat;
  long syncatNext;
  int reintegrationFailures;
  long retryAt;
  final boolean witness;
  long witnessToken;
  String splitbrainUptodate;
  SecondaryLink secondaryLink;
  String lostReason;
  boolean followerAwaited;
  private final MirrorRules rules = new MirrorRules(this);

  /**
   * The failover machine's {@code notuptodate_server} asked for wait in this step (never kept: the
   * machine asks again at each evaluation while its rule holds).
   */
  boolean dataWaitAsked;

  MirrorMachine(MirrorState s, long now) {
    super(s.core, now);
    MirrorExtra x = s.extra;
    failover = x.failover();
    peer = x.peer();
    data = x.data();
    intent = x.intent();
    intentArg = x.intentArg();
    swapRequested = x.swapRequested();
    swapping = x.swapping();
    defaultprimDone = x.defaultprimDone();
    reintegrated = x.reintegrated();
    splitBrainLogged = x.splitBrainLogged();
    policy = x.policy();
    synced = x.synced();
    syncat = x.syncat();
    syncatNext = x.syncatNext();
    reintegrationFailures = x.reintegrationFailures();
    retryAt = x.retryAt();
    witness = x.witness();
    witnessToken = x.witnessToken();
    splitbrainUptodate = x.splitbrainUptodate();
    secondaryLink = x.secondaryLink();
    lostReason = x.lostReason();
    followerAwaited = x.followerAwaited();
    swapNosync = x.swapNosync();
  }

  MirrorState snapshot() {
    return new MirrorState(
        core(),
        new MirrorExtra(
            failover,
            peer,
            data,
            intent,
            intentArg,
            swapRequested,
            swapping,
            defaultprimDone,
            reintegrated,
            splitBrainLogged,
            policy,
            synced,
            syncat,
            syncatNext,
            reintegrationFailures,
            retryAt,
            witness,
            witnessToken,
            splitbrainUptodate,
            secondaryLink,
            lostReason,
            followerAwaited,
            swapNosync));
  }

  @Override
  boolean mirror() {
    return true;
  }

  /**
   * The decisions of a stable state: {@code syncedcheck} keeps {@code rfs.synced} for the failover
   * machine's {@code rfs_forceuptodate} ({@link ForceUptodateRule}); then {@link MirrorRules},
   * which holds a would-be secondary outside its syncat window ({@link SyncatWaitRule#hold}).
   */
  @Override
  void evaluate() {
    ForceUptodateRule.syncedcheck(this);
    if (plan == null) {
      rules.evaluate();
    }
  }

  // ---- events other than commands and scripts ----

  @Override
  void other(Event e) {
    if (e instanceof Event.PeerChanged pc) {
      observe(pc.view());
      splitbrainHealed();
    } else if (e instanceof Event.ReintegrationDone rd) {
      reintegration(rd.ok());
    } else if (e instanceof Event.ReplicationLost rl) {
      replicationLost(rl.reason());
    } else if (e instanceof Event.ReintegrationStarted) {
      if (local.state() == SECOND) {
        setUptodate(false);
        data = data.withConsistent(false);
      }
    } else if (e instanceof Event.ResourceSet rs) {
      SyncatWaitRule.resourceSet(this, rs);
      ForceUptodateRule.assigned(this, rs);
    } else if (e instanceof Event.Degraded d) {
      degraded(d.reason());
    } else if (e instanceof Event.SecondaryAttached) {
      if (local.state().isPrimary()) {
        secondaryLink = SecondaryLink.ATTACHED; // ALONE may become PRIM (MirrorRules.inAlone)
      }
    }
  }

  /**
   * The primary's replica lost its secondary's session (spec C.7, UG §13.7.3). Writes now reach
   * this node only: a new generation, so that the secondary, which may have lost the stream without
   * knowing why, learns it no longer holds everything. A PRIM goes ALONE ({@link MirrorRules}, as
   * soon as no plan runs); an ALONE node forgets the session (it waits for a new one).
   */
  private void degraded(String reason) {
    if (!local.state().isPrimary()) {
      return; // late report from a previous role
    }
    data = new DataFreshness(true, nextGeneration(), true, true, now, data.tenure());
    lostReason = reason;
    // LOST also when the session ended while ALONE -> PRIM runs: the plan ends in PRIM, which must
    // then go ALONE again (found by the simulation)
    boolean toPrim = local.state() == PRIM || (plan != null && plan.target() == PRIM);
    secondaryLink = toPrim ? SecondaryLink.LOST : SecondaryLink.NONE;
  }

  /** A new view of the peer: log {@code Remote state …}, learn that our data became stale. */
  private void observe(PeerView v) {
    LocalState before = peer.remoteLabel();
    peer = v;
    if (!(v.present() && v.in(WAIT))) {
      followerAwaited = false; // the waiting peer decided, or is gone: its states count again
    }
    if (!before.equals(v.remoteLabel())) {
      log(EventLevel.E, "Remote state " + v.remoteLabel());
    }
    // A running primary holds the reference data; only its synchronised secondary keeps up
    // (spec C.4, C.5). Anything else we hold is older, whatever our generation says.
    // A secondary that lost the stream still holds everything while the primary stays in the
    // generation it followed.
    // Only a PRIM feeds its secondary: an ALONE primary writes without it (spec C.7), so a
    // secondary that has not yet noticed its stream broke must not take the new generation of a
    // primary that went ALONE on that break.
    boolean fed = v.in(PRIM);
    boolean followed =
        local.state() == SECOND
            && ((reintegrated && fed) || v.data().generation() == data.generation());
    if (v.primary() && !local.state().isPrimary() && !followed) {
      setUptodate(false);
      if (data.generation() >= v.data().generation() && v.data().generation() > 0) {
        // The running primary holds the reference history whatever its number: ours ranks below
        // it from now on, or a later double outage could prefer this stale copy (spec C.5; found
        // by the simulation after a split brain left this node with the higher number).
        data = data.withGeneration(v.data().generation() - 1);
      }
    }
    if (local.state() == SECOND && reintegrated && fed) {
      // A synchronised secondary mirrors every write of its primary, whatever its generation.
      if (v.data().generation() != data.generation()) {
        data =
            new DataFreshness(
                data.uptodate(), v.data().generation(), false, true, now, data.tenure());
      }
    } else if (v.data().generation() > data.generation() && !local.state().isPrimary()) {
      // The peer wrote in a later generation (even if it is gone again): our data is older.
      setUptodate(false);
    }
    if (swapping && v.primary() && local.state() == SECOND) {
      swapping = false; // the swap reached its end: the peer took the primary role
    }
    if (v.absent()) {
      splitBrainLogged = false; // a new episode may begin
    }
  }

  /** First wait after a failed reintegration; doubled for each further failure in a row. */
  static final long RETRY_FIRST_MILLIS = 5_000;

  /** The longest wait between two reintegration attempts. */
  static final long RETRY_MAX_MILLIS = 300_000;

  /** The wait before the next attempt after {@code failures} failed reintegrations in a row. */
  static long retryDelayMillis(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 16);
    return Math.min(RETRY_FIRST_MILLIS << doublings, RETRY_MAX_MILLIS);
  }

  private void reintegration(boolean ok) {
    if (local.state() != SECOND) {
      return; // late report from a previous role
    }
    // Replication synchronised with the primary, possibly before its heartbeat told us it is
    // primary: the generation is adopted when that heartbeat arrives (see observe).
    if (!ok) {
      // Tried again after a delay that doubles with each failure in a row, up to RETRY_MAX: a
      // secondary whose disk is full must not rerun its scripts and make its primary go ALONE and
      // PRIM again every few seconds; one whose link broke comes back by itself.
      reintegrationFailures++;
      long delay = retryDelayMillis(reintegrationFailures);
      retryAt = now + delay;
      log(EventLevel.E, "Reintegration failed");
      log(EventLevel.E, "Next reintegration attempt in " + delay / 1000 + " s");
      block = Block.NOT_UPTODATE;
      if (plan == null) {
        begin(Plans.toWait(SECOND, "stop", true), WAIT, false);
      }
      return;
    }
    reintegrated = true;
    reintegrationFailures = 0;
    retryAt = 0;
    data = new DataFreshness(true, peer.data().generation(), false, true, now, data.tenure());
    out.add(new Action.SetResource("rfs.uptodate", "up", "rfs"));
    SyncatWaitRule.synchronised(this);
    if (plan == null && local.readiness() == Readiness.TRANSIENT) {
      setReadiness(Readiness.READY);
    }
  }

  /**
   * The stream from the primary broke while SECOND. What the primary acknowledged is here (it
   * waited for us), so this copy stays up to date — unless the primary goes on without us, which it
   * announces with a new generation in its heartbeats (see {@link #observe}): a primary that
   * crashed leaves a secondary that can take over; one that lives on does not (spec C.5, C.7).
   */
  private void replicationLost(String reason) {
    if (local.state() != SECOND) {
      return; // late report from a previous role
    }
    if (reintegrated) {
      log(EventLevel.E, "Replication from the primary lost: " + reason);
    }
    reintegrated = false;
    if (plan == null && local.readiness() == Readiness.READY) {
      setReadiness(Readiness.TRANSIENT);
    }
  }

  @Override
  void onTick() {
    // synctimestamp is refreshed while PRIM/SECOND Ready (spec C.4); we refresh it while ALONE
    // Ready too, so that after a double outage the node that ran last is known (spec C.5).
    if (local.readiness() == Readiness.READY
        && local.state() != WAIT
        && local.state() != STOP
        && data.uptodate()) {
      data = data.withLastSync(now);
    }
    ForceUptodateRule.syncedcheck(this);
    SyncatWaitRule.schedule(this);
  }

  /**
   * A new generation: above every generation known here, and at least the clock, so that a node
   * that could not hear its peer (stopped nodes send no heartbeat) still orders its new tenure
   * after the peer's older ones. Like SafeKit's synctimestamp (spec C.4) this trusts synchronised
   * clocks; without them it still is a logical counter.
   */
  private long nextGeneration() {
    return Math.max(now, Math.max(data.generation(), peer.data().generation()) + 1);
  }

  void setUptodate(boolean u) {
    if (data.uptodate() != u) {
      data = data.withUptodate(u);
      out.add(new Action.SetResource("rfs.uptodate", u ? "up" : "down", "rfs"));
    }
  }

  /**
   * {@code notuptodate_server} (spec C.3, C.5) is a rule of the failover machine; who may start as
   * primary stays the automaton's arbitration ({@link MirrorRules}). The rule's wait blocks a
   * stable WAIT only where that arbitration finds nobody to follow and no data to start with: the
   * machine's snapshot may lag behind a heartbeat that already decided (a peer that ranks first, a
   * primary that appeared), and its wait must not stop that decision. Accepted in every case: the
   * machine repeats it while the rule holds, a refusal would only fill the log.
   */
  @Override
  boolean dataWait(Event.Command c) {
    if (SyncatWaitRule.deferred(this, c)) {
      return true;
    }
    if (!MirrorRules.NOT_UPTODATE_RULE.equals(c.origin().name()) || !c.origin().fromRule()) {
      return false;
    }
    reply(c, true, "wait accepted");
    if (plan == null && local.state() == WAIT && syncatWaitOver()) {
      // rfs_syncat_wait no longer has a primary to keep this node from (it left): the machine's
      // wait in force goes on for the data, which is now the reason
      block = Block.NONE;
      blockRule = "";
    }
    if (plan == null && local.state() == WAIT && block == Block.NONE) {
      dataWaitAsked = true; // evaluate() follows in this step and decides
    }
    return true;
  }

  /** Blocked by {@code rfs_syncat_wait} while no primary is there any more to follow. */
  boolean syncatWaitOver() {
    return block == Block.RESOURCE
        && SyncatWaitRule.RULE.equals(blockRule)
        && !peer.primary()
        && !(peer.in(WAIT) && !peer.stopping());
  }

  // ---- split brain with a witness (spec B.18, C.8) ----

  static final String SPLITBRAIN_RULE = "splitbrain_failure";
  static final String SPLITBRAIN_CHECK = "splitbraincheck";

  /** Sets {@code splitbrain.uptodate}, once per change. */
  void setSplitbrainUptodate(boolean up) {
    String v = up ? "up" : "down";
    if (!v.equals(splitbrainUptodate)) {
      splitbrainUptodate = v;
      out.add(new Action.SetResource("splitbrain.uptodate", v, SPLITBRAIN_CHECK));
    }
  }

  @Override
  boolean waitStillHolds() {
    return SPLITBRAIN_RULE.equals(blockRule) && "down".equals(splitbrainUptodate);
  }

  @Override
  void witnessAsked(long token) {
    witnessToken = token;
  }

  /**
   * The witness answered. Reached: {@code splitbrain.uptodate} up and the plan to ALONE goes on.
   * Not reached: {@code splitbrain.uptodate} down, the data of this node is no longer up to date,
   * and the predefined rule {@code splitbrain_failure} holds it in WAIT NotReady until heartbeats
   * return or an administrator runs stop then prim (spec C.8).
   */
  @Override
  boolean answered(Event.ScriptDone d) {
    if (witnessToken == 0 || d.token() != witnessToken) {
      return false;
    }
    witnessToken = 0;
    if (peer.present()) {
      // heard again while the witness was asked: the heartbeats decide, as if never lost
      plan = null;
      return true;
    }
    if (d.exitCode() == 0) {
      setSplitbrainUptodate(true);
      return false;
    }
    setSplitbrainUptodate(false);
    ModuleState from = local.state();
    plan = null;
    setUptodate(false);
    log(EventLevel.E, "Action wait from failover rule " + SPLITBRAIN_RULE);
    log(EventLevel.E, "Transition WAIT_TR from failover rule " + SPLITBRAIN_RULE);
    block = Block.RESOURCE;
    blockRule = SPLITBRAIN_RULE;
    swapRequested = false;
    begin(Plans.toWait(from, "stopwait", true), WAIT, false);
    return true;
  }

  /**
   * Heartbeats are back while {@code splitbrain_failure} holds this node: the wait is lifted and
   * the node is decided again (it follows the peer that stayed ALONE, spec C.8).
   */
  void splitbrainHealed() {
    if (block == Block.RESOURCE && SPLITBRAIN_RULE.equals(blockRule) && peer.present()) {
      setSplitbrainUptodate(true);
      block = Block.NONE;
      blockRule = "";
      if (local.state() == WAIT) {
        setReadiness(Readiness.TRANSIENT);
      }
    }
  }

  // ---- plan hooks ----

  @Override
  void mark(PlanStep.Marker m) {
    switch (m) {
      case BECOME_PRIMARY -> {
        secondaryLink = SecondaryLink.NONE; // a new tenure: no session yet
        long gen = nextGeneration();
        data = new DataFreshness(true, gen, true, true, now, gen);
        out.add(new Action.SetResource("rfs.uptodate", "up", "rfs"));
        intent = Intent.NORMAL;
        swapRequested = false;
      }
      case CONTINUE_ALONE -> {
        // PRIM -> ALONE: writes now go where the secondary cannot see them (spec C.5)
        long gen = nextGeneration();
        data = new DataFreshness(true, gen, true, true, now, data.tenure());
      }
      case BECOME_SECONDARY -> {
        setUptodate(false);
        // The primary followed holds the reference history whatever its number: ours ranks below
        // it from now on, as observe() does when it sees it change (after a split brain exit the
        // ALONE peer's label may not change again before this node stops; found by the simulation
        // once ALONE waits for its secondary's session to become PRIM).
        long gen = data.generation();
        long theirs = peer.data().generation();
        if (peer.primary() && theirs > 0 && gen >= theirs) {
          gen = theirs - 1;
        }
        data = new DataFreshness(false, gen, false, false, data.lastSyncMillis(), data.tenure());
        reintegrated = false;
        intent = Intent.NORMAL;
      }
      case BECOME_SECONDARY_SWAP -> {
        data =
            new DataFreshness(data.uptodate(), data.generation(), false, true, now, data.tenure());
        reintegrated = false;
      }
      case LEAVE_SECOND -> {
        // Up to date only if the primary is known to have stopped: a running or unheard primary
        // goes on writing without us (spec C.5).
        boolean primaryStopped =
            (peer.present() && !peer.primary())
                || (peer.absent() && "remote stop".equals(peer.reason()));
        if (!primaryStopped) {
          setUptodate(false);
        }
        swapping = false;
        reintegrated = false;
      }
    }
  }

  @Override
  void settle(ModuleState target) {
    if (target != PRIM) {
      followerAwaited = false;
    }
    switch (target) {
      case STOP -> {
        block = Block.NONE;
        intent = Intent.NORMAL;
        swapRequested = false;
        swapping = false;
        swapNosync = false;
        defaultprimDone = false;
        reintegrationFailures = 0; // an administrator's start tries at once
        retryAt = 0;
        secondaryLink = SecondaryLink.NONE;
        setLocal(LocalState.STOPPED);
      }
      case WAIT ->
          setLocal(
              LocalState.of(WAIT, block == Block.NONE ? Readiness.TRANSIENT : Readiness.NOT_READY));
      case ALONE, PRIM -> setLocal(LocalState.of(target, Readiness.READY));
      case SECOND ->
          setLocal(
              LocalState.of(
                  SECOND, reintegrated && data.uptodate() ? Readiness.READY : Readiness.TRANSIENT));
      default -> throw illegal(local, target);
    }
  }

  // ---- commands (spec F.3) ----

  /** The running roles, as restart names them (spec F.3). */
  private static final List<ModuleState> ROLES = List.of(ALONE, PRIM, SECOND);

  @Override
  List<ModuleState> roles() {
    return ROLES;
  }

  @Override
  String stopstartHint() {
    return "; use start";
  }

  @Override
  void command(Event.Command c) {
    new MirrorCommands(this).handle(c);
  }

  @Override
  void startFromStop(Event.Command c) {
    switch (c.verb()) {
      case PRIM -> intent = Intent.PRIM;
      case PRIMFORCE -> intent = Intent.PRIMFORCE;
      case SECOND -> intent = Intent.SECOND;
      case SECONDFORCE -> intent = Intent.SECONDFORCE;
      default -> intent = Intent.NORMAL;
    }
    intentArg = c.argument();
    super.startFromStop(c);
    // The rules read rfs.uptodate (notuptodate_server, rfs_forceuptodate): the table may hold a
    // value from before a crash, or none yet; the data freshness is the truth (spec C.5).
    out.add(new Action.SetResource("rfs.uptodate", data.uptodate() ? "up" : "down", "rfs"));
    boolean waiting = "down".equals(splitbrainUptodate);
    if (witness && (!waiting || c.origin().kind() == Origin.Kind.ADMIN)) {
      // up from the start (the rule would hold an init resource in WAIT); an administrator's
      // start (stop then prim, spec C.8) ends the wait of a split brain
      setSplitbrainUptodate(true);
    } else if (waiting) {
      // a stopstart of a checker does not: splitbrain_failure still holds
      block = Block.RESOURCE;
      blockRule = SPLITBRAIN_RULE;
    }
  }

  boolean is(ModuleState s) {
    return local.state() == s;
  }

  boolean stopped() {
    return local.state() == STOP;
  }
}
