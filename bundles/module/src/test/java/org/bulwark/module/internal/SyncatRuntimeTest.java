package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartConfig;
import org.bulwark.automaton.MirrorDriver;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.ReplicationPolicy;
import org.bulwark.automaton.ServiceSettings;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code safekit set -r rfs.syncat -v up -m AM} reaches the automaton through the module runtime
 * (spec C.12): the secondary waiting for its schedule synchronises at once, then waits again.
 */
public class SyncatRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore storeA = pair.storeA;
  private final MemoryStore storeB = pair.storeB;

  @Test
  public void setRfsSyncatUpSynchronisesTheWaitingSecondaryNow() throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    // a schedule that does not fire during the test: the next 29 February, midnight
    ReplicationPolicy syncat =
        ReplicationPolicy.of(Duration.ZERO, Optional.of("0 0 29 2 *"), ZoneOffset.UTC);
    MirrorDriver second =
        new MirrorDriver(
            "mirror",
            ServiceSettings.defaults("n2"),
            HeartConfig.of(MirrorRuntimes.PULSE, MirrorRuntimes.TIMEOUT, "0"),
            DataFreshness.NEVER_SYNCED,
            syncat,
            1,
            pair.clock.millis());
    ModuleRuntime b = pair.startB(second);
    // rfs_syncat_wait is the failover machine's (docs/failover.md "Internal rules")
    b.failoverWith(ReplicationRulesRuntimeTest.replicationRules(syncat));

    MirrorRuntimes.alone(a);
    b.command(Verb.START, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    // held NotReady at once (no role outside the window), then the rule's wait
    MirrorRuntimes.await(b, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);
    MirrorRuntimes.awaitLog(storeB, "Action wait from failover rule rfs_syncat_wait", LIMIT);

    CompletableFuture<LocalState> synchronising = b.await(s -> s.state() == ModuleState.SECOND);
    b.setResource("rfs.syncat", "up", "root").get(20, TimeUnit.SECONDS);
    synchronising.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    // without <rfs> the secondary is synchronised at once: rfs.syncat down, WAIT again
    MirrorRuntimes.await(b, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);

    List<String> syncatHistory =
        storeB.history("mirror", "rfs.syncat", 100).stream()
            .map(e -> e.value() + " by " + e.setter())
            .toList();
    assertEquals(List.of("down by syncat", "up by root", "down by reintegre"), syncatHistory);
    assertTrue(storeB.messages().contains("Resource rfs.syncat set to up by root"));
    assertTrue(storeB.messages().contains("Action wakeup from failover rule Implicit_wakeup"));
    assertEquals(
        2,
        storeB.messages().stream()
            .filter("Action wait from failover rule rfs_syncat_wait"::equals)
            .count());
    ResourceEntry last =
        storeB.current("mirror").stream()
            .filter(e -> e.name().equals("rfs.syncat"))
            .findFirst()
            .orElseThrow();
    assertEquals("down", last.value());
  }
}
