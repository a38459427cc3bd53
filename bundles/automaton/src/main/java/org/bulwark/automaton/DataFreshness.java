package org.bulwark.automaton;

/**
 * What a mirror node knows about the freshness of its replicated data (spec C.4–C.6, resource
 * {@code rfs.uptodate}). Persisted by the runtime at every change and carried on heartbeats, so
 * that replication only has to report reintegration results.
 *
 * @param uptodate the data holds every acknowledged write (primary, or secondary in sync)
 * @param generation increases each time a node starts writing without a synchronised secondary
 *     (entering ALONE, or PRIM from a non-primary state); a synchronised secondary takes its
 *     primary's. The higher generation holds the newer data after a double outage (spec C.5)
 * @param wasPrimary the node was primary last (defaultprim {@code lastprim}, spec B.3)
 * @param consistent false after a stop during reintegration: half-copied files (spec C.11)
 * @param lastSyncMillis the last synchronisation point ({@code synctimestamp}, spec C.4), 0 never
 * @param tenure the generation at which the current or last primary role began: after a split brain
 *     the older primary stays (spec C.8)
 */
public record DataFreshness(
    boolean uptodate,
    long generation,
    boolean wasPrimary,
    boolean consistent,
    long lastSyncMillis,
    long tenure) {

  /** A freshly configured module: nothing is known to be up to date (spec C.3). */
  public static final DataFreshness NEVER_SYNCED = new DataFreshness(false, 0, false, true, 0, 0);

  /**
   * After a crash the node cannot know whether it is up to date (spec C.4 case 3, C.5 double
   * outage): it keeps its history but waits for its peer.
   */
  public DataFreshness afterCrash() {
    return withUptodate(false);
  }

  DataFreshness withUptodate(boolean u) {
    return new DataFreshness(u, generation, wasPrimary, consistent, lastSyncMillis, tenure);
  }

  DataFreshness withConsistent(boolean c) {
    return new DataFreshness(uptodate, generation, wasPrimary, c, lastSyncMillis, tenure);
  }

  DataFreshness withGeneration(long g) {
    return new DataFreshness(uptodate, g, wasPrimary, consistent, lastSyncMillis, tenure);
  }

  DataFreshness withLastSync(long t) {
    return new DataFreshness(uptodate, generation, wasPrimary, consistent, t, tenure);
  }
}
