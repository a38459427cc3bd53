package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.ReplicationPolicy;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * Degraded replication through two module runtimes (spec C.7, issue 11): what replication reports
 * ({@code ReplicationEvents}) reaches the automaton and the failover machine, and {@code
 * rfs.degraded} reaches the peer's machine on the heartbeats. The runtimes coordinate only: the
 * replication itself is played by the test.
 */
public class DegradedRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore storeA = pair.storeA;
  private final MemoryStore storeB = pair.storeB;
  private ModuleRuntime a;
  private ModuleRuntime b;

  /**
   * n1 PRIM, n2 SECOND, both with the internal rules of replication (degraded_server among them)
   * and a replication whose reports the test makes ({@link PlayedReplication}).
   */
  private void paired() throws Exception {
    a = pair.startA(pair.driver("n1"));
    b = pair.startB(pair.driver("n2"));
    a.replicateWith(new PlayedReplication());
    b.replicateWith(new PlayedReplication());
    a.failoverWith(ReplicationRulesRuntimeTest.replicationRules(ReplicationPolicy.NONE));
    b.failoverWith(ReplicationRulesRuntimeTest.replicationRules(ReplicationPolicy.NONE));
    MirrorRuntimes.alone(a);
    MirrorRuntimes.accepted(b, Verb.START);
    attachedAndSynchronised();
  }

  /** b started as SECOND: its session attached on a, its reintegration ended; both Ready. */
  private void attachedAndSynchronised() throws Exception {
    MirrorRuntimes.await(b, s -> s.state() == ModuleState.SECOND, LIMIT);
    a.replicationEvents().secondaryAttached();
    b.replicationEvents().reintegrationEnded(true, "");
    MirrorRuntimes.await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
  }

  @Test
  public void aBrokenLinkMakesThePrimaryAloneUntilItsSecondaryIsAttachedAgain() throws Exception {
    paired();
    b.replicationEvents().replicationLost("connection to the primary closed");
    a.replicationEvents()
        .degraded("sendtimeout: the secondary took nothing for 3000 ms")
        .get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    MirrorRuntimes.awaitLog(
        storeA,
        "Action alone called by nfsadmin: sendtimeout: the secondary took nothing for 3000 ms",
        LIMIT);
    // the secondary learns the new generation from the heartbeats: no longer up to date
    awaitResource(b, "rfs.uptodate", "down");
    MirrorRuntimes.awaitLog(storeB, "Remote state ALONE Ready", LIMIT);
    assertEquals(ModuleState.SECOND, b.local().state());
    // heartbeats say SECOND, but no session is attached: still ALONE
    assertEquals(ModuleState.ALONE, a.local().state());
    assertNotEquals("up", a.resources().get("rfs.degraded"));

    a.replicationEvents().secondaryAttached();
    MirrorRuntimes.await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
    b.replicationEvents().reintegrationEnded(true, "");
    MirrorRuntimes.await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    assertTrue(storeA.messages().stream().noneMatch(l -> l.contains("rfs.degraded set to up")));
  }

  @Test
  public void replicationFailedOnThePrimary_thePeerWaitsUntilThePrimaryIsStoppedAndStarted()
      throws Exception {
    paired();
    String why = "the change record cannot be written: No space left on device";
    a.replicationEvents().resource("rfs.degraded", "up");
    a.replicationEvents()
        .degraded("replication failed on the primary: " + why)
        .get(20, TimeUnit.SECONDS);
    b.replicationEvents().replicationLost("connection to the primary closed");
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    MirrorRuntimes.awaitLog(storeA, "Resource rfs.degraded set to up by nfsadmin", LIMIT);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);
    MirrorRuntimes.awaitLog(storeB, "Action wait from failover rule degraded_server", LIMIT);
    awaitResource(b, "rfs.uptodate", "down");
    assertEquals(ModuleState.ALONE, a.local().state()); // no failover

    a.command(Verb.STOP, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> s.state() == ModuleState.STOP, LIMIT);
    a.replicationEvents().resource("rfs.degraded", "down"); // as the replica's stop says it
    a.command(Verb.START, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    attachedAndSynchronised();
  }

  /** Waits, with a deadline, until the runtime's table holds the value. */
  private static void awaitResource(ModuleRuntime m, String name, String value)
      throws InterruptedException {
    long end = System.nanoTime() + LIMIT.toNanos();
    while (!value.equals(m.resources().get(name))) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "not within " + LIMIT + ": " + name + "=" + value + " in " + m.resources());
      }
      Thread.sleep(20); // polling a condition with a deadline, not synchronising on time
    }
  }
}
