package org.bulwark.automaton;

import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;

/** Immutable state of a mirror module (spec C). Built by {@link MirrorAutomaton}. */
public final class MirrorState {

  final Core core;
  final MirrorExtra extra;

  MirrorState(Core core, MirrorExtra extra) {
    this.core = core;
    this.extra = extra;
  }

  /**
   * A stopped mirror module.
   *
   * @param settings service attributes (spec B.3)
   * @param data the persisted data freshness; {@link DataFreshness#afterCrash()} if the node did
   *     not stop cleanly
   */
  public static MirrorState initial(ServiceSettings settings, DataFreshness data) {
    return initial(settings, data, ReplicationPolicy.NONE);
  }

  /**
   * A stopped mirror module with syncdelta or syncat (spec C.6, C.12).
   *
   * @param policy the {@code <rfs>} attributes the automaton decides with
   */
  public static MirrorState initial(
      ServiceSettings settings, DataFreshness data, ReplicationPolicy policy) {
    return new MirrorState(
        Core.initial(settings),
        new MirrorExtra(
            settings.failover(),
            PeerView.UNDECIDED,
            data,
            Intent.NORMAL,
            "",
            false,
            false,
            false,
            false,
            false,
            policy,
            "",
            "",
            0,
            0,
            0,
            false,
            0,
            "",
            SecondaryLink.NONE,
            "",
            false,
            false));
  }

  /**
   * This state with a {@code <splitbrain>} checker configured or not (spec B.18): when it is, a
   * node that loses every heartbeat asks the witnesses before it goes ALONE (spec C.8).
   */
  public MirrorState withWitness(boolean configured) {
    MirrorExtra x = extra;
    return new MirrorState(
        core,
        new MirrorExtra(
            x.failover(),
            x.peer(),
            x.data(),
            x.intent(),
            x.intentArg(),
            x.swapRequested(),
            x.swapping(),
            x.defaultprimDone(),
            x.reintegrated(),
            x.splitBrainLogged(),
            x.policy(),
            x.synced(),
            x.syncat(),
            x.syncatNext(),
            x.reintegrationFailures(),
            x.retryAt(),
            configured,
            x.witnessToken(),
            x.splitbrainUptodate(),
            x.secondaryLink(),
            x.lostReason(),
            x.followerAwaited(),
            x.swapNosync()));
  }

  /** Whether a {@code <splitbrain>} checker is configured. */
  public boolean witness() {
    return extra.witness();
  }

  public LocalState local() {
    return core.local();
  }

  public boolean inTransition() {
    return core.plan() != null;
  }

  public Block block() {
    return core.block();
  }

  /**
   * Epoch millis before which a WAIT after a failed reintegration does not try again (0 when none
   * failed).
   */
  public long retryAt() {
    return extra.retryAt();
  }

  /** The rule or checker whose wait blocks this module ({@code Block.RESOURCE}), else empty. */
  public String blockRule() {
    return core.blockRule();
  }

  public int loopCount() {
    return core.loopCount();
  }

  public ServiceSettings settings() {
    return core.settings();
  }

  public boolean failover() {
    return extra.failover();
  }

  public PeerView peer() {
    return extra.peer();
  }

  public DataFreshness data() {
    return extra.data();
  }

  public ReplicationPolicy policy() {
    return extra.policy();
  }

  /**
   * When the syncdelta and syncat bookkeeping needs a tick at the latest: the end of the syncdelta
   * window while {@code rfs.synced} is up, the next scheduled synchronisation; {@link
   * Long#MAX_VALUE} when none.
   */
  long policyDeadline() {
    long d = Long.MAX_VALUE;
    ReplicationPolicy p = extra.policy();
    if (p.syncdelta() && "up".equals(extra.synced())) {
      d = data().lastSyncMillis() + p.syncdeltaMillis();
    }
    if (p.syncat().isPresent()) {
      d = Math.min(d, extra.syncatNext() == 0 ? 0 : extra.syncatNext());
    }
    return d;
  }

  public Intent intent() {
    return extra.intent();
  }

  /** Carried on heartbeats: started with prim/primforce and not yet primary. */
  public boolean primIntent() {
    return extra.intent().wantsPrimary() && !local().state().isPrimary();
  }

  public boolean swapRequested() {
    return extra.swapRequested();
  }

  /** On its way to STOP (stop, stopstart, shutdown): peers must not take its WAIT for a start. */
  public boolean stopping() {
    return core.plan() != null && core.plan().target() == ModuleState.STOP;
  }

  public boolean swapping() {
    return extra.swapping();
  }

  /** Carried on heartbeats: the swap asked or handed over in is a {@code swap nosync}. */
  public boolean swapNosync() {
    return extra.swapNosync() && (extra.swapRequested() || extra.swapping());
  }

  /** The heartbeat to send now (spec B.4), for the driver. */
  public HeartbeatMessage heartbeat(String module, long incarnation, long seq) {
    return new HeartbeatMessage(
        module,
        settings().node(),
        incarnation,
        seq,
        local(),
        data(),
        primIntent(),
        swapRequested(),
        swapping(),
        stopping(),
        swapNosync(),
        java.util.Map.of());
  }

  public boolean is(ModuleState s) {
    return local().state() == s;
  }

  @Override
  public String toString() {
    return local()
        + (inTransition() ? " (transition)" : "")
        + " block="
        + block()
        + " data="
        + data()
        + " peer="
        + peer().remoteLabel();
  }
}
