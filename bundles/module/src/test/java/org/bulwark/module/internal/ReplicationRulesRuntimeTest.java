package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartConfig;
import org.bulwark.automaton.MirrorDriver;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.ReplicationPolicy;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.Verb;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.FailoverRules;
import org.junit.Rule;
import org.junit.Test;

/**
 * The internal rules of replication run in the module runtime's failover machine (docs/failover.md
 * "Internal rules"): their decisions reach the automaton as the module runtime gives every rule's,
 * with an internal origin that maxloop does not count.
 */
public class ReplicationRulesRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore store = pair.storeB;

  /** The machine of a replicated mirror with this policy, every 100 ms, handle_time 200 ms. */
  static FailoverLoop replicationRules(ReplicationPolicy p) {
    return new FailoverLoop(
        new FailoverMachine(
            FailoverRules.mirror()
                .replication(true, p.syncdelta(), p.syncat().isPresent())
                .timing(Duration.ofMillis(100), Duration.ofMillis(200))
                .compile()
                .orThrow()));
  }

  private ModuleRuntime alone(DataFreshness data, ReplicationPolicy p) throws Exception {
    MirrorDriver driver =
        new MirrorDriver(
            "mirror",
            ServiceSettings.defaults("n2"),
            HeartConfig.of(MirrorRuntimes.PULSE, MirrorRuntimes.TIMEOUT, "0"),
            data,
            p,
            1,
            pair.clock.millis());
    // side b with nobody on side a: the peer is never heard (no heartbeat)
    ModuleRuntime b = pair.startB(driver);
    b.failoverWith(replicationRules(p));
    return b;
  }

  @Test
  public void notuptodateServer_blocksANodeWithoutDataAndWithoutPeer() throws Exception {
    ModuleRuntime b = alone(DataFreshness.NEVER_SYNCED, ReplicationPolicy.NONE);
    MirrorRuntimes.accepted(b, Verb.START);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);
    b.print(org.bulwark.api.store.EventLevel.I, "test", "end").get(20, TimeUnit.SECONDS);

    List<String> log = store.messages();
    int wait = log.indexOf("Action wait from failover rule notuptodate_server");
    int hint =
        log.indexOf(
            "Data may not be uptodate for replicated directories (wait for the start of the"
                + " remote server)");
    assertTrue(log.toString(), 0 <= wait && wait < hint);
    assertEquals(
        log.toString(), 1, log.stream().filter(l -> l.contains("notuptodate_server")).count());
    assertEquals("down", b.resources().get("rfs.uptodate"));
    assertEquals("WAIT", b.resources().get("state.local"));
    // internal: maxloop did not count it (a counted action would start heart.stopstartloop)
    assertTrue(b.resources().toString(), !b.resources().containsKey("heart.stopstartloop"));
  }

  @Test
  public void rfsForceuptodate_startsAloneANodeSynchronisedWithinSyncdelta() throws Exception {
    ReplicationPolicy p =
        ReplicationPolicy.of(
            Duration.ofMinutes(10), java.util.Optional.empty(), java.time.ZoneOffset.UTC);
    // a double outage 2 minutes after the last synchronisation: not known to be up to date
    DataFreshness crashed =
        new DataFreshness(true, 5, false, true, pair.clock.millis() - 120_000, 3).afterCrash();
    ModuleRuntime b = alone(crashed, p);
    b.command(Verb.START, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    b.print(org.bulwark.api.store.EventLevel.I, "test", "end").get(20, TimeUnit.SECONDS);

    List<String> log = store.messages();
    int set = log.indexOf("Resource rfs.uptodate set to up by failover rule rfs_forceuptodate");
    int alone = log.indexOf("Local state ALONE Transient");
    assertTrue(log.toString(), 0 <= set && set < alone);
    assertTrue(
        log.toString(),
        log.get(set + 1).startsWith("Data considered uptodate: last synchronization"));
    // the assignment came first: the rules never blocked the node
    assertTrue(log.toString(), log.stream().noneMatch(l -> l.contains("notuptodate_server")));
    assertEquals("up", b.resources().get("rfs.uptodate"));
    assertEquals("up", b.resources().get("rfs.synced"));
  }
}
