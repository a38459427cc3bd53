package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.config.Rfs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * {@code reitimeout} bounds how long a reintegration waits for the secondary to acknowledge a pass
 * (spec B.7), not {@code locktimeout} (100 s here, past the test's deadlines): a secondary whose
 * writing of the copy hangs ends the session after it, and its next connection synchronises.
 */
public class ReintegrationTimeoutTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.251", "127.0.3.252", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHook() {
    SecondaryHandler.beforeApply = null;
  }

  @Test
  public void aPassNotAcknowledgedWithinReitimeoutEndsTheSessionThenTheNextOneCompletes()
      throws Exception {
    pair.async(Rfs.Async.NONE); // acknowledged once written: a hung write holds the pass
    pair.rfs = TestRfs.withReiTimeout(pair.rfs, Duration.ofSeconds(1));
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    Files.write(pair.a.get(0).resolve("big"), data);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    SecondaryHandler.beforeApply =
        c -> {
          if (c instanceof Change.Write && c.path().equals("/big") && held.getAndIncrement() == 0) {
            try {
              release.await(30, TimeUnit.SECONDS); // the secondary's disk hangs on the copy
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    pair.open();
    pair.node1.startPrimary(false);
    pair.node2.startSecondary("");

    String stopped =
        pair.one.await(e -> e.contains("Reintegration of the secondary stopped: "), 20_000);
    assertEquals(
        "log I reintegre Reintegration of the secondary stopped: reintegration failed: the"
            + " secondary stopped acknowledging during reintegration",
        stopped);
    release.countDown();
    pair.two.await(e -> e.equals("reintegrated true"), 60_000);
    pair.assertSameTrees("after the next session's reintegration");
  }
}
