package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.MirrorPair.traceOf;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * A mirror module on two real nodes exchanging real UDP heartbeats (issue 5 item 6, spec C): first
 * start with {@code prim} (C.3), PRIM/SECOND pairing, stop of the PRIM and failover with {@code
 * start_prim}, reintegration of the old primary as SECOND, {@code swap}, and {@code kill -9} of the
 * PRIM node's JVM; the health-check URL follows the primary (G.10). Heartbeats every 100 ms with a
 * 2 s timeout keep it fast.
 */
public class MirrorIT {
  /** timeout 2 s + pulse + the role scripts, with a wide margin for a loaded 2-core CI machine. */
  private static final int FAILOVER_SECONDS = 20;

  private static final int STEP_SECONDS = 60;

  @Test
  public void twoNodesPairFailOverAndSwap() throws Exception {
    try (MirrorPair pair =
        new MirrorPair(
            "127.0.0.51", 19051, "127.0.0.52", 19052, "pulse=\"100\" timeout=\"2000\"")) {
      NodeProcess n1 = pair.n1;
      NodeProcess n2 = pair.n2;

      // C.3: a first start with data never synchronised waits for the peer, and says how to force
      ok(n1.safekit("start", "-m", MODULE));
      pair.await(n1, "WAIT", STEP_SECONDS);
      String log = ok(n1.safekit("log", "-m", MODULE, "-A")).out();
      assertTrue(log, log.contains("Data may not be uptodate for replicated directories"));
      assertTrue(log, log.contains("run safekit prim to force start as primary"));
      assertEquals(404, pair.ready(n1));
      ok(n1.safekit("stop", "-m", MODULE));
      pair.await(n1, "STOP", STEP_SECONDS);

      // prim on n1 -> ALONE; n2 started -> SECOND, and n1 -> PRIM
      ok(n1.safekit("prim", "-m", MODULE));
      pair.await(n1, "ALONE", STEP_SECONDS);
      ok(n2.safekit("start", "-m", MODULE));
      pair.await(n2, "SECOND", STEP_SECONDS);
      pair.await(n1, "PRIM", STEP_SECONDS);
      assertPrimary(pair, n1, n2);
      assertTrue(traceOf(n1).toString(), traceOf(n1).contains("start_prim WAIT ALONE start"));
      assertTrue(traceOf(n2).toString(), traceOf(n2).contains("start_second WAIT SECOND start"));
      String remote = ok(n2.safekit("log", "-m", MODULE, "-A")).out();
      assertTrue(remote, remote.contains("Remote state PRIM Ready"));

      // stop the PRIM: the SECOND takes over alone and runs start_prim (C.2)
      ok(n1.safekit("stop", "-m", MODULE));
      pair.await(n1, "STOP", STEP_SECONDS);
      pair.await(n2, "ALONE", STEP_SECONDS);
      assertTrue(traceOf(n2).toString(), traceOf(n2).contains("start_prim SECOND ALONE start"));
      assertPrimary(pair, n2, n1);

      // the old primary comes back as SECOND
      ok(n1.safekit("start", "-m", MODULE));
      pair.await(n1, "SECOND", STEP_SECONDS);
      pair.await(n2, "PRIM", STEP_SECONDS);
      assertPrimary(pair, n2, n1);

      // swap, asked on the SECOND: roles exchange
      ok(n1.safekit("swap", "-m", MODULE));
      pair.await(n1, "PRIM", STEP_SECONDS);
      pair.await(n2, "SECOND", STEP_SECONDS);
      assertPrimary(pair, n1, n2);

      // kill -9 of the PRIM node's JVM: the SECOND is ALONE Ready within the timeout + margin
      long killed = System.nanoTime();
      n1.kill9();
      pair.await(n2, "ALONE", FAILOVER_SECONDS);
      long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
      System.out.println(
          "MirrorIT: kill -9 of the PRIM to ALONE Ready in " + failoverMillis + " ms");
      assertTrue(pair.state(n2), pair.state(n2).contains("ALONE Ready"));
      assertEquals(200, pair.ready(n2));
      String after = ok(n2.safekit("log", "-m", MODULE, "-A")).out();
      assertTrue(after, after.contains("Resource heartbeat.0 set to down by heart"));
      assertTrue(after, after.contains("Action alone called by heart"));

      // the crashed node comes back: it cannot know whether it is up to date (spec C.4 case 3)
      // and joins as SECOND
      ok(n1.start());
      ok(n1.safekit("start", "-m", MODULE));
      pair.await(n1, "SECOND", STEP_SECONDS);
      pair.await(n2, "PRIM", STEP_SECONDS);

      // both stop cleanly, the secondary first; after a node restart the last primary still
      // knows its data is up to date and starts without `prim` (spec C.5), the other follows
      ok(n1.safekit("stop", "-m", MODULE));
      pair.await(n1, "STOP", STEP_SECONDS);
      pair.await(n2, "ALONE", STEP_SECONDS);
      ok(n2.safekit("stop", "-m", MODULE));
      pair.await(n2, "STOP", STEP_SECONDS);
      ok(n2.stop());
      ok(n2.start());
      ok(n2.safekit("start", "-m", MODULE));
      pair.await(n2, "ALONE", STEP_SECONDS);
      assertEquals(200, pair.ready(n2));
      ok(n1.safekit("start", "-m", MODULE));
      pair.await(n1, "SECOND", STEP_SECONDS);
      pair.await(n2, "PRIM", STEP_SECONDS);
      assertPrimary(pair, n2, n1);
    }
  }

  /** The health-check URL answers 200 on the primary and 404 on the secondary (spec G.10). */
  private static void assertPrimary(MirrorPair pair, NodeProcess prim, NodeProcess second)
      throws Exception {
    assertEquals(pair.state(prim), 200, pair.ready(prim));
    assertEquals(pair.state(second), 404, pair.ready(second));
    assertEquals("OK\n", prim.get("/var/modules/" + MODULE + "/ready.txt").body());
  }
}
