package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bulwark.api.config.Rfs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A secondary whose appliers fall behind stops reading (more than 64 MiB waiting to be applied);
 * the primary's changes wait in the socket meanwhile. That pause, longer than the idle time after
 * which a silent primary is given up, is not the primary's silence: the reintegration goes on (seen
 * on a loaded machine with 20,000 small files, where every attempt ended "The primary is silent"
 * and started again).
 */
public class SecondaryPauseTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHook() {
    SecondaryHandler.beforeApply = null;
  }

  @Test
  public void appliersBehindLongerThanTheIdleTimeDoNotEndTheSession() throws Exception {
    // sendtimeout 6 s: the secondary gives a silent primary up after 2 s (its minimum)
    pair.rfs =
        TestRfs.with(
            List.of("/srv/app/d0"),
            Rfs.Async.SECOND,
            Duration.ofSeconds(100),
            Duration.ofSeconds(6),
            8388608L);
    long seed = Long.getLong("rfs.seed", System.nanoTime());
    System.out.println("SecondaryPauseTest seed " + seed);
    byte[] data = new byte[80 << 20]; // past the 64 MiB that pause the reading
    new Random(seed).nextBytes(data);
    Files.write(pair.a.get(0).resolve("large"), data);
    AtomicBoolean held = new AtomicBoolean();
    CountDownLatch never = new CountDownLatch(1);
    SecondaryHandler.beforeApply =
        c -> {
          if (c instanceof Change.Write && held.compareAndSet(false, true)) {
            try {
              // a slow disk: this applier holds 3.5 s, past the idle time, within the send timeout
              never.await(3_500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    pair.open();
    pair.start();
    assertTrue("the applier held", held.get());
    assertEquals(List.of(), pair.two.events().stream().filter(e -> e.startsWith("lost ")).toList());
    pair.assertSameTrees("after the pause");
    pair.assertStillSynchronous("after the pause");
  }
}
