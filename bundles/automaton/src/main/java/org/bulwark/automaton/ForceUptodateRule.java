package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.WAIT;

import org.bulwark.api.store.EventLevel;

/**
 * syncdelta, the relaxed start policy (spec C.6, C.5 "double power outage"): the checker {@code
 * syncedcheck} that maintains resource {@code rfs.synced}, and what the automaton does with the
 * assignment of the failover machine's internal rule
 *
 * <pre>
 * rfs_forceuptodate: if (heartbeat.* == down &amp;&amp; cluster() == down
 *                        &amp;&amp; rfs.synced == up &amp;&amp; rfs.uptodate == down) then rfs.uptodate=up;
 * </pre>
 *
 * <p>The rule is the machine's ({@code syncdelta.rules} in {@code bulwark-failover}); {@code
 * rfs.uptodate} is this automaton's data freshness ({@link MirrorDriver#KEPT_BY_AUTOMATON}), so the
 * runtime gives it the assignment as a request ({@link Event.ResourceSet}, by {@code failover rule
 * rfs_forceuptodate}). It is taken only
 *
 * <ul>
 *   <li>while the peer is absent because no lan carries its heartbeat ({@code no heartbeat}); a
 *       peer that announced its stop ({@code remote stop}) is a running node, its cluster is up;
 *   <li>in a stable WAIT whose only obstacle is the data ({@link Block#NONE} or {@link
 *       Block#NOT_UPTODATE}, plain start): an up to date flag set while stopped, blocked by a
 *       checker or by failover off would be persisted and trusted at a later start, long after the
 *       window closed.
 * </ul>
 *
 * Otherwise nothing happens: the machine asks again at its next evaluation while the rule holds.
 */
final class ForceUptodateRule {

  static final String RULE = "rfs_forceuptodate";

  private ForceUptodateRule() {}

  /**
   * {@code syncedcheck}: {@code rfs.synced} is up while the data are consistent and were
   * synchronised less than syncdelta ago (spec C.6). Run at every tick and every decision.
   */
  static void syncedcheck(MirrorMachine m) {
    if (!m.policy.syncdelta()) {
      return;
    }
    String v = synced(m.policy, m.data, m.now) ? "up" : "down";
    if (!v.equals(m.synced)) {
      m.synced = v;
      m.out.add(new Action.SetResource("rfs.synced", v, "syncedcheck"));
    }
  }

  /** The value of {@code rfs.synced} for these data at {@code now}. */
  static boolean synced(ReplicationPolicy p, DataFreshness d, long now) {
    return p.syncdelta()
        && d.consistent()
        && d.lastSyncMillis() > 0
        && now - d.lastSyncMillis() < p.syncdeltaMillis();
  }

  /**
   * The assignment of the rule: this WAITing node, isolated and recently synchronised, takes its
   * data as up to date, and says so; then the arbitration starts it ALONE (same step).
   */
  static void assigned(MirrorMachine m, Event.ResourceSet rs) {
    if (!"rfs.uptodate".equals(rs.name())
        || !"up".equals(rs.value())
        || !("failover rule " + RULE).equals(rs.by())
        || !m.policy.syncdelta()
        || m.plan != null
        || m.local.state() != WAIT) {
      return;
    }
    boolean clusterDown = m.peer.absent() && "no heartbeat".equals(m.peer.reason());
    boolean onlyData = m.block == Block.NONE || m.block == Block.NOT_UPTODATE;
    if (clusterDown
        && onlyData
        && m.intent == Intent.NORMAL
        && "up".equals(m.synced)
        && !m.data.uptodate()) {
      long ago = (m.now - m.data.lastSyncMillis()) / 1000;
      m.data = m.data.withUptodate(true);
      m.out.add(new Action.SetResource("rfs.uptodate", "up", RULE));
      m.log(EventLevel.E, "Resource rfs.uptodate set to up by failover rule " + RULE);
      m.log(
          EventLevel.E,
          "Data considered uptodate: last synchronization "
              + ago
              + " s ago, within syncdelta ("
              + m.policy.syncdeltaMillis() / 1000
              + " s), and no heartbeat from the remote server");
    }
  }
}
