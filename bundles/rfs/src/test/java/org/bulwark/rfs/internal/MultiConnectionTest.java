package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.bulwark.api.config.Rfs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * {@code nbremconn} (spec B.7): a session of several TCP connections. The secondary opens the
 * further ones once welcomed; the primary spreads its changes over all of them and the secondary
 * applies them in their numbers' order, so a reintegration and the live changes that follow end
 * with the same trees as over one connection; a connection that carries changes far ahead of the
 * one awaited stops being read until that one comes; losing any connection ends the session, and
 * the next reintegration completes.
 */
public class MultiConnectionTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 2);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void defaults() {
    SecondaryHandler.earlyLimit = SecondaryHandler.EARLY_BYTES;
  }

  /** Files of all sizes in both directories, a sparse one, a link; junk on the secondary. */
  private void populate(long seed) throws IOException {
    System.out.println("MultiConnectionTest seed " + seed + " (replay: -Drfs.seed=" + seed + ")");
    Random random = new Random(seed);
    for (int d = 0; d < pair.dirs; d++) {
      Path root = pair.a.get(d);
      for (int sub = 0; sub < 4; sub++) {
        Path dir = Files.createDirectories(root.resolve("s" + sub));
        for (int f = 0; f < 30; f++) {
          byte[] data = new byte[random.nextInt(40_000)];
          random.nextBytes(data);
          Files.write(dir.resolve("f" + f), data);
        }
      }
      for (int big = 0; big < 3; big++) {
        byte[] data = new byte[(3 << 20) + random.nextInt(1 << 20)];
        random.nextBytes(data);
        Files.write(root.resolve("big" + big), data);
      }
      try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("sparse").toFile(), "rw")) {
        sparse.seek(3 << 20);
        sparse.write(new byte[] {7});
      }
      Files.createSymbolicLink(root.resolve("link"), Path.of("s1/f3"));
    }
    Files.writeString(Files.createDirectories(pair.b.get(0).resolve("s2")).resolve("junk"), "x");
  }

  private static long seed() {
    return Long.getLong("rfs.seed", System.nanoTime());
  }

  /** Live changes through the mount: rewrites, a large file, names changed, each fsynced. */
  private void writeLive(Random random) throws IOException {
    Path root = pair.a.get(0);
    for (int i = 0; i < 40; i++) {
      byte[] data = new byte[random.nextInt(200_000)];
      random.nextBytes(data);
      Files.write(root.resolve("s" + (i % 4) + "/f" + i % 30), data);
    }
    byte[] large = new byte[12 << 20];
    random.nextBytes(large);
    Files.write(root.resolve("large"), large);
    Files.move(root.resolve("s0"), root.resolve("moved"));
    Files.delete(root.resolve("big1"));
    Files.createDirectories(root.resolve("moved/new"));
    Files.writeString(root.resolve("moved/new/last"), "last");
  }

  private void assertEveryConnectionCarried(String what) {
    long[] by = pair.assertEveryConnectionCarried(what);
    System.out.println(
        "MultiConnectionTest: " + what + ": changes by connection " + Arrays.toString(by));
    assertEquals(what, 3, by.length);
    assertEquals(what, 3, pair.node1.primaryReplica().link().current().connections());
    for (int i = 1; i < 3; i++) {
      String joined = "log I nfsadmin Replication connection " + i + " of the secondary joined";
      assertTrue(
          what + ": " + joined, pair.one.events().stream().anyMatch(e -> e.startsWith(joined)));
    }
  }

  private void threeConnections(Rfs.Async async) {
    pair.async(async);
    pair.rfs = TestRfs.withConnections(TestRfs.withStreams(pair.rfs, 4), 3);
  }

  /**
   * A reintegration, then live changes, over three connections: the same trees, every connection
   * carrying changes, the session synchronous throughout.
   */
  private void reintegrationThenLiveChanges(Rfs.Async async) throws Exception {
    long seed = seed();
    threeConnections(async);
    populate(seed);
    pair.open();
    pair.start();
    pair.assertSameTrees("after the reintegration, seed " + seed);
    writeLive(new Random(seed));
    pair.barrier();
    pair.assertSameTrees("after the live changes, seed " + seed);
    pair.assertStillSynchronous("seed " + seed);
    assertEveryConnectionCarried("async " + async);
  }

  @Test
  public void changesSpreadOverThreeConnectionsMakeTheSameTrees() throws Exception {
    reintegrationThenLiveChanges(Rfs.Async.SECOND);
  }

  @Test
  public void asyncNoneOverThreeConnections() throws Exception {
    reintegrationThenLiveChanges(Rfs.Async.NONE);
  }

  @Test
  public void connectionsFarAheadAreHeldBackUntilTheAwaitedChangeComes() throws Exception {
    SecondaryHandler.earlyLimit = 256 << 10; // held back after 256 KiB come early, not 32 MiB
    long before = SecondaryHandler.HELD_BACK.get();
    reintegrationThenLiveChanges(Rfs.Async.SECOND);
    long held = SecondaryHandler.HELD_BACK.get() - before;
    System.out.println("MultiConnectionTest: connections held back " + held + " times");
    assertTrue("a connection was held back", held > 0);
  }

  @Test
  public void aConnectionLostEndsTheSessionAndTheNextReintegrationCompletes() throws Exception {
    long seed = seed();
    threeConnections(Rfs.Async.SECOND);
    populate(seed);
    pair.open();
    pair.start();
    pair.node2.secondaryHandler().further().get(1).close();
    pair.two.await(e -> e.startsWith("lost "), 10_000);
    pair.one.await(e -> e.startsWith("degraded "), 10_000);
    pair.node2.stopSecondary(java.time.Duration.ofSeconds(5));
    // alone meanwhile: what changes is tracked, and copied by the next reintegration
    writeLive(new Random(seed));
    pair.secondaryBackAndSame("after a connection was lost, seed " + seed);
    assertEveryConnectionCarried("the next session");
  }
}
