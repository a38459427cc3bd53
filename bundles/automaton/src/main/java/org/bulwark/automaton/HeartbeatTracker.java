package org.bulwark.automaton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.store.EventLevel;

/**
 * Pure heartbeat peer tracking (spec B.4): per lan the last time the peer was heard, a lan is down
 * after {@code timeout} of silence ({@code Resource heartbeat.<ident> set to down by heart}); the
 * peer is gone only when every lan is down, or at once when it announces STOP ({@code remote
 * stop}). Messages from an older incarnation, or not newer than the last one on their lan, are
 * dropped and counted (STYLE.md habit 4). No sockets, no clock: the transport feeds it.
 *
 * <p>Owned by one event loop; not thread-safe by design.
 */
public final class HeartbeatTracker {

  private enum LanState {
    INIT,
    UP,
    DOWN
  }

  private static final class LanTrack {
    final HeartConfig.Lan lan;
    LanState state = LanState.INIT;
    long lastHeard;
    long lastSeq = -1;

    LanTrack(HeartConfig.Lan lan, long now) {
      this.lan = lan;
      this.lastHeard = now; // the first timeout counts from the tracker's start
    }
  }

  private final String module;
  private final String localNode;
  private final Map<String, LanTrack> lans = new LinkedHashMap<>();
  private long incarnation = -1;
  private long lastSeq = -1;
  private HeartbeatMessage last;
  private PeerView view = PeerView.UNDECIDED;
  private long stale;

  /**
   * How long the view waits, once a peer lost on every lan is heard again, before it takes what it
   * hears: the heartbeats it sent while unreachable may have waited in the network (a kernel holds
   * packets to an address it cannot resolve, seconds' worth) and arrive first, in a burst, older
   * than what the peer is now. Found in the network lab: a primary that had gone to WAIT was heard
   * PRIM Ready for 14 ms when a partition healed, and its peer followed it as SECOND.
   */
  static final long RETURN_SETTLE_MILLIS = 50;

  /** While a returning peer's burst is read: the view changes at this time, 0 when none. */
  private long settleUntil;

  public HeartbeatTracker(String module, String localNode, HeartConfig config, long now) {
    this.module = module;
    this.localNode = localNode;
    for (HeartConfig.Lan l : config.lans()) {
      lans.put(l.ident(), new LanTrack(l, now));
    }
  }

  /** The current view of the peer. */
  public PeerView view() {
    return view;
  }

  /** Messages dropped as stale, duplicated or misaddressed. */
  public long staleDropped() {
    return stale;
  }

  /**
   * A message arrived on lan {@code ident}. Returns the resource and log actions it causes; check
   * {@link #view()} for a changed peer view.
   */
  public List<Action> onMessage(String ident, HeartbeatMessage msg, long now) {
    LanTrack t = lans.get(ident);
    if (t == null || !msg.module().equals(module) || msg.node().equals(localNode)) {
      stale++;
      return List.of();
    }
    if (msg.incarnation() < incarnation) {
      stale++;
      return List.of();
    }
    if (msg.incarnation() > incarnation) {
      incarnation = msg.incarnation(); // the peer restarted: forget its old sequence numbers
      lastSeq = -1;
      for (LanTrack l : lans.values()) {
        l.lastSeq = -1;
      }
    }
    if (msg.seq() <= t.lastSeq) {
      stale++;
      return List.of();
    }
    t.lastSeq = msg.seq();
    t.lastHeard = now;
    if (lans.values().stream().allMatch(l -> l.state == LanState.DOWN)) {
      settleUntil = now + RETURN_SETTLE_MILLIS; // lost on every lan until now: read the burst first
    }
    List<Action> out = new ArrayList<>();
    if (t.state != LanState.UP) {
      t.state = LanState.UP;
      setResource(out, t, "up");
    }
    if (msg.seq() > lastSeq) {
      lastSeq = msg.seq();
      last = msg;
    }
    if (settleUntil == 0) {
      recompute();
    }
    return out;
  }

  /** Time passed: lans silent for their timeout go down. */
  public List<Action> onTick(long now) {
    List<Action> out = new ArrayList<>();
    if (settleUntil != 0 && now >= settleUntil) {
      settleUntil = 0;
      recompute(); // the newest message of the burst
    }
    for (LanTrack t : lans.values()) {
      if (t.state != LanState.DOWN && now - t.lastHeard >= t.lan.timeoutMillis()) {
        t.state = LanState.DOWN;
        setResource(out, t, "down");
      }
    }
    if (!out.isEmpty()) {
      recompute();
    }
    return out;
  }

  /** The next time {@link #onTick} may change something. */
  public long nextDeadline() {
    long d = settleUntil != 0 ? settleUntil : Long.MAX_VALUE;
    for (LanTrack t : lans.values()) {
      if (t.state != LanState.DOWN) {
        d = Math.min(d, t.lastHeard + t.lan.timeoutMillis());
      }
    }
    return d;
  }

  private void setResource(List<Action> out, LanTrack t, String value) {
    String name = "heartbeat." + t.lan.ident();
    out.add(new Action.SetResource(name, value, "heart"));
    out.add(
        new Action.Log(
            EventLevel.E, "heart", "Resource " + name + " set to " + value + " by heart"));
  }

  private void recompute() {
    boolean anyUp = false;
    boolean allDown = true;
    for (LanTrack t : lans.values()) {
      anyUp |= t.state == LanState.UP;
      allDown &= t.state == LanState.DOWN;
    }
    String node = last == null ? "" : last.node();
    DataFreshness data = last == null ? DataFreshness.NEVER_SYNCED : last.data();
    if (anyUp && last != null) {
      if (last.state().state() == ModuleState.STOP) {
        view = PeerView.absent(node, "remote stop", data);
      } else {
        view =
            new PeerView(
                PeerView.Presence.PRESENT,
                node,
                "",
                last.state(),
                last.data(),
                last.primIntent(),
                last.swapRequested(),
                last.swapping(),
                last.stopping(),
                last.swapNosync());
      }
    } else if (allDown) {
      view = PeerView.absent(node, "no heartbeat", data);
    }
  }
}
