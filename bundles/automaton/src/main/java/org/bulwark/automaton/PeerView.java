package org.bulwark.automaton;

import java.util.Objects;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;

/**
 * The mirror peer as the heartbeats show it (spec B.4). The automaton decides only from this view,
 * never from sockets.
 *
 * @param presence whether the peer is heard
 * @param node the peer's node name, empty while never heard
 * @param reason why it is absent: {@code no heartbeat} or {@code remote stop} (spec C.2)
 * @param state its local state (UNKNOWN Unknown unless present)
 * @param data its data freshness
 * @param primIntent it was started with prim/primforce and is not yet primary
 * @param swapRequested it asks its PRIM to swap (swap on the secondary, defaultprim, spec C.10)
 * @param swapping it is a former PRIM handing over in a swap
 * @param stopping it is on its way to STOP (its WAIT is not a start)
 * @param swapNosync the swap it asks is a {@code swap nosync} (spec C.10)
 */
public record PeerView(
    Presence presence,
    String node,
    String reason,
    LocalState state,
    DataFreshness data,
    boolean primIntent,
    boolean swapRequested,
    boolean swapping,
    boolean stopping,
    boolean swapNosync) {

  /** Heard, not heard for a whole timeout on every lan, or not yet decided. */
  public enum Presence {
    UNKNOWN,
    PRESENT,
    ABSENT
  }

  public static final PeerView UNDECIDED =
      new PeerView(
          Presence.UNKNOWN,
          "",
          "",
          LocalState.UNKNOWN,
          DataFreshness.NEVER_SYNCED,
          false,
          false,
          false,
          false,
          false);

  public PeerView {
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(data, "data");
    node = node == null ? "" : node;
    reason = reason == null ? "" : reason;
  }

  /** Not heard; {@code lastData} is what it last said about its data. */
  public static PeerView absent(String node, String reason, DataFreshness lastData) {
    return new PeerView(
        Presence.ABSENT,
        node,
        reason,
        LocalState.UNKNOWN,
        lastData,
        false,
        false,
        false,
        false,
        false);
  }

  public boolean present() {
    return presence == Presence.PRESENT;
  }

  public boolean absent() {
    return presence == Presence.ABSENT;
  }

  /** The peer runs the application (ALONE or PRIM, any level). */
  public boolean primary() {
    return present() && state.state().isPrimary();
  }

  public boolean in(ModuleState s) {
    return present() && state.state() == s;
  }

  /** What {@code Remote state …} prints. */
  public LocalState remoteLabel() {
    return present() ? state : LocalState.UNKNOWN;
  }
}
