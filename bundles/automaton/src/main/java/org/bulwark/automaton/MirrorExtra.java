package org.bulwark.automaton;

/**
 * The mirror-only part of the state (immutable snapshot).
 *
 * @param failover {@code usersetting.failover} (spec B.3, C.9)
 * @param peer the peer as heartbeats show it
 * @param data local data freshness (spec C.4–C.6)
 * @param intent start intent (prim, second …)
 * @param intentArg fullsync, or the date of secondforce
 * @param swapRequested this SECOND asks its PRIM to swap (swap command, defaultprim)
 * @param swapping this former PRIM hands over in a swap
 * @param defaultprimDone the defaultprim swap was already asked since the last start
 * @param reintegrated replication reported this secondary synchronised
 * @param splitBrainLogged {@code staying alone} was logged for the current episode
 * @param policy syncdelta and syncat (spec C.6, C.12)
 * @param synced resource {@code rfs.synced} as last set: {@code up}, {@code down}, or empty before
 *     the first {@code syncedcheck}
 * @param syncat resource {@code rfs.syncat}: {@code up}, {@code down}, or empty before the first
 *     tick
 * @param syncatNext the next scheduled synchronisation (epoch millis), 0 before the first tick
 * @param reintegrationFailures reintegrations failed in a row since the last one that ended or the
 *     last stop
 * @param retryAt epoch millis before which a WAIT after a failed reintegration does not try again
 * @param witness a {@code <splitbrain>} checker is configured (spec B.18)
 * @param witnessToken the token of the witness question awaited, 0 when none
 * @param splitbrainUptodate resource {@code splitbrain.uptodate} as last set: {@code up}, {@code
 *     down}, or empty before it was set
 * @param secondaryLink a primary's knowledge of its secondary's replication session (spec C.7)
 * @param lostReason why that session ended, when {@code secondaryLink} is {@code LOST}
 * @param followerAwaited this node became primary over a waiting peer that has not been heard since
 *     in any other state: its WAIT is not a stop yet (it has not heard this node primary)
 * @param swapNosync the swap this node asks or hands over in is a {@code swap nosync} (spec C.10):
 *     the node that becomes SECOND follows the new primary without comparing the trees
 */
record MirrorExtra(
    boolean failover,
    PeerView peer,
    DataFreshness data,
    Intent intent,
    String intentArg,
    boolean swapRequested,
    boolean swapping,
    boolean defaultprimDone,
    boolean reintegrated,
    boolean splitBrainLogged,
    ReplicationPolicy policy,
    String synced,
    String syncat,
    long syncatNext,
    int reintegrationFailures,
    long retryAt,
    boolean witness,
    long witnessToken,
    String splitbrainUptodate,
    SecondaryLink secondaryLink,
    String lostReason,
    boolean followerAwaited,
    boolean swapNosync) {}
