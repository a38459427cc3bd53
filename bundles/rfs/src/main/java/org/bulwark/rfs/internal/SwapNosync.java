package org.bulwark.rfs.internal;

/**
 * {@code swap nosync} (spec C.10): the former primary follows its peer, which was its synchronous
 * secondary until the swap, without a comparison of the trees — they were equal when the
 * application stopped for the swap. The secondary starts with the policy {@link #POLICY}, sends no
 * listing, and the primary sends only what it recorded since its role began ({@link
 * Reintegrator#runNosync}); the primary asks for the listing whenever it cannot vouch for that
 * ({@link #refusal}).
 */
final class SwapNosync {

  /** The secondary's policy after a {@code swap nosync} (the {@code START_SECONDARY} argument). */
  static final String POLICY = "nosync";

  private SwapNosync() {}

  /**
   * Why the primary cannot skip the comparison of the trees, or null when it can: the secondary
   * shares this primary's synchronisation point, nothing asks for a full or external copy, the
   * secondary recorded nothing of its own, and this is the first session of this primary role (the
   * zone record holds every change since the swap).
   *
   * @param full a full copy is due whatever the policy
   * @param first the first secondary session of this primary role ({@link
   *     PrimaryReplica#firstSession})
   * @param mine the primary's rfssync policy
   */
  static String refusal(
      SyncState sync, Msg.Hello h, boolean full, boolean first, RfssyncPolicy mine) {
    if (full || !sync.knows(h.syncId())) {
      return "no shared synchronisation point, or a full copy is due";
    }
    if (mine.mode() != RfssyncPolicy.Mode.DEFAULT) {
      return "the rfssync policy " + mine.mode() + " applies";
    }
    if (!h.hotZones().isEmpty()) {
      return "the secondary recorded " + h.hotZones().size() + " zones of its own";
    }
    if (!first) {
      return "not the first session since this node became primary";
    }
    return null;
  }
}
