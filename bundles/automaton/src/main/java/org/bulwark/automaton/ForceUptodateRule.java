package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.WAIT;

import org.bulwark.api.store.EventLevel;

/**
 * syncdelta, the relaxed start policy (spec C.6, C.5 "double power outage"): the checker {@code
 * syncedcheck} that maintains resource {@code rfs.synced}, and the internal failover rule
 *
 * <pre>
 * rfs_forceuptodate: if (heartbeat.* == down &amp;&amp; cluster() == down
 *                        &amp;&amp; rfs.synced == up &amp;&amp; rfs.uptodate == down) then rfs.uptodate=up;
 * </pre>
 *
 * <p>The failover machine of spec B.19 does not exist yet: this class is the one place where the
 * rule lives until that machine takes it over (as a resource assignment rule generated when {@code
 * syncdelta} &gt; 1 min). Until then:
 *
 * <ul>
 *   <li>{@code heartbeat.* == down && cluster() == down} is read from the heartbeat view: the peer
 *       is absent because no lan carries its heartbeat ({@code no heartbeat}). A peer that
 *       announced its stop ({@code remote stop}) is a running node, its cluster is up: the rule
 *       does not hold. Bulwark has no separate cluster membership yet, so a peer whose module
 *       stopped and whose heartbeats then timed out counts as a cluster down too;
 *   <li>the rule is applied at once, without the failover machine's {@code handle_time};
 *   <li>it only acts in a stable WAIT whose only obstacle is the data ({@link Block#NONE} or {@link
 *       Block#NOT_UPTODATE}, plain start): an up to date flag set while stopped, blocked by a
 *       checker or by failover off would be persisted and trusted at a later start, long after the
 *       window closed.
 * </ul>
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
   * The rule: this WAITing node, isolated and recently synchronised, takes its data as up to date.
   */
  static void apply(MirrorMachine m) {
    if (!m.policy.syncdelta() || m.plan != null || m.local.state() != WAIT) {
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
