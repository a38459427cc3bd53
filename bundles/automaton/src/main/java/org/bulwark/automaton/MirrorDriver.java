package org.bulwark.automaton;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;

/**
 * One mirror module on one node: heartbeat tracking plus the mirror automaton, driven by the
 * module's event loop with times from an injected clock. The same class runs in the module runtime
 * and in the deterministic simulation. It owns no thread and does no I/O; every method returns the
 * ordered actions to execute ({@link Action.SendHeartbeat} included).
 *
 * <p>Heartbeats go out every pulse while the module is not STOP, at once when the local state or a
 * flag changes, and one last time on reaching STOP so that the peer logs {@code remote stop}
 * instead of waiting for the timeout (spec C.2). The peer is tracked even while this module is
 * stopped, so that {@code prim} and {@code second} can be refused at once (spec C.3).
 */
public final class MirrorDriver implements ModuleDriver {

  /**
   * Resources this automaton keeps itself: a failover rule's assignment to one ({@code
   * rfs_forceuptodate: … then rfs.uptodate=up}) is a request, given as {@link #resource}; the
   * automaton takes it or not, and sets the resource when it does.
   */
  public static final java.util.Set<String> KEPT_BY_AUTOMATON = java.util.Set.of("rfs.uptodate");

  /**
   * Resources set from outside ({@code safekit set}, a rule's assignment) that this automaton
   * reads: the runtime sets them, then tells it with {@link #resource} ({@code rfs.syncat}, spec
   * C.12).
   */
  public static final java.util.Set<String> READ_BY_AUTOMATON = java.util.Set.of("rfs.syncat");

  private final String module;
  private final HeartConfig heart;
  private final long incarnation;
  private final HeartbeatTracker tracker;
  private MirrorState state;
  private long seq;
  private long nextPulse;
  private HeartbeatMessage lastSent;

  /**
   * @param module the module name
   * @param settings its service attributes
   * @param heart its heartbeats
   * @param data the persisted data freshness ({@link DataFreshness#afterCrash()} after a crash)
   * @param incarnation larger than any previous incarnation of this module on this node
   * @param now the clock
   */
  public MirrorDriver(
      String module,
      ServiceSettings settings,
      HeartConfig heart,
      DataFreshness data,
      long incarnation,
      long now) {
    this(module, settings, heart, data, ReplicationPolicy.NONE, incarnation, now);
  }

  /**
   * @param module the module name
   * @param settings its service attributes
   * @param heart its heartbeats
   * @param data the persisted data freshness ({@link DataFreshness#afterCrash()} after a crash)
   * @param policy syncdelta and syncat of its {@code <rfs>} (spec C.6, C.12)
   * @param incarnation larger than any previous incarnation of this module on this node
   * @param now the clock
   */
  public MirrorDriver(
      String module,
      ServiceSettings settings,
      HeartConfig heart,
      DataFreshness data,
      ReplicationPolicy policy,
      long incarnation,
      long now) {
    this.module = Objects.requireNonNull(module, "module");
    this.heart = Objects.requireNonNull(heart, "heart");
    this.incarnation = incarnation;
    this.tracker = new HeartbeatTracker(module, settings.node(), heart, now);
    this.state = MirrorState.initial(settings, data, policy);
    this.nextPulse = now;
  }

  /**
   * Whether a {@code <splitbrain>} checker is configured (spec B.18): the witnesses are then asked
   * before this node goes ALONE on the loss of every heartbeat (spec C.8). Call before the first
   * event.
   */
  public MirrorDriver withWitness(boolean configured) {
    state = state.withWitness(configured);
    return this;
  }

  public MirrorState state() {
    return state;
  }

  public String module() {
    return module;
  }

  /** Heartbeats dropped as stale or duplicated. */
  public long staleDropped() {
    return tracker.staleDropped();
  }

  @Override
  public List<Action> command(Event.Command c, long now) {
    return run(c, now);
  }

  @Override
  public List<Action> scriptDone(long token, int exitCode, long now) {
    return run(new Event.ScriptDone(token, exitCode), now);
  }

  @Override
  public List<Action> reintegration(boolean ok, long now) {
    return run(new Event.ReintegrationDone(ok), now);
  }

  @Override
  public List<Action> replicationLost(String reason, long now) {
    return run(new Event.ReplicationLost(reason), now);
  }

  @Override
  public List<Action> reintegrationStarted(long now) {
    return run(new Event.ReintegrationStarted(), now);
  }

  @Override
  public List<Action> degraded(String reason, long now) {
    return run(new Event.Degraded(reason), now);
  }

  @Override
  public List<Action> secondaryAttached(long now) {
    return run(new Event.SecondaryAttached(), now);
  }

  @Override
  public List<Action> initPending(boolean pending, long now) {
    return run(new Event.InitPending(pending), now);
  }

  @Override
  public List<Action> resource(String name, String value, String by, long now) {
    return run(new Event.ResourceSet(name, value, by), now);
  }

  /** A heartbeat arrived on lan {@code ident}. */
  @Override
  public List<Action> heartbeat(String ident, HeartbeatMessage msg, long now) {
    List<Action> out = new ArrayList<>();
    PeerView before = tracker.view();
    out.addAll(tracker.onMessage(ident, msg, now));
    if (!tracker.view().equals(before)) {
      apply(new Event.PeerChanged(tracker.view()), now, out);
    }
    publish(now, out, false);
    return out;
  }

  /** Time passed: heartbeat timeouts, pulses, maxloop window, last-sync refresh. */
  @Override
  public List<Action> tick(long now) {
    List<Action> out = new ArrayList<>();
    PeerView before = tracker.view();
    out.addAll(tracker.onTick(now));
    if (!tracker.view().equals(before)) {
      apply(new Event.PeerChanged(tracker.view()), now, out);
    }
    apply(new Event.Tick(), now, out);
    publish(now, out, now >= nextPulse);
    return out;
  }

  @Override
  public LocalState local() {
    return state.local();
  }

  @Override
  public java.util.Optional<DataFreshness> data() {
    return java.util.Optional.of(state.data());
  }

  @Override
  public long nextWakeup(long now) {
    return Math.max(now + 10, nextWakeup());
  }

  /** When {@link #tick} must be called next at the latest. */
  public long nextWakeup() {
    long d = Math.min(tracker.nextDeadline(), state.policyDeadline());
    if (sending()) {
      d = Math.min(d, nextPulse);
    }
    return d;
  }

  private List<Action> run(Event e, long now) {
    List<Action> out = new ArrayList<>();
    apply(e, now, out);
    publish(now, out, false);
    return out;
  }

  private void apply(Event e, long now, List<Action> out) {
    Step<MirrorState> s = MirrorAutomaton.step(state, now, e);
    state = s.state();
    out.addAll(s.actions());
  }

  private boolean sending() {
    return !state.is(ModuleState.STOP);
  }

  /** Sends on pulse, or at once when what the peer should know changed. */
  private void publish(long now, List<Action> out, boolean pulseDue) {
    HeartbeatMessage next = state.heartbeat(module, incarnation, seq + 1);
    boolean changed = lastSent == null || !sameContent(lastSent, next);
    boolean announceStop = changed && state.is(ModuleState.STOP) && lastSent != null;
    if ((sending() && (pulseDue || changed)) || announceStop) {
      seq++;
      lastSent = next;
      out.add(new Action.SendHeartbeat(next));
      nextPulse = now + heart.pulse();
    }
  }

  private static boolean sameContent(HeartbeatMessage a, HeartbeatMessage b) {
    return a.state().equals(b.state())
        && a.data().withLastSync(0).equals(b.data().withLastSync(0))
        && a.primIntent() == b.primIntent()
        && a.swapRequested() == b.swapRequested()
        && a.swapping() == b.swapping()
        && a.swapNosync() == b.swapNosync()
        && a.stopping() == b.stopping();
  }
}
