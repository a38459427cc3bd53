package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * After a first full copy, a returning secondary gets only the zones written while it was away
 * (spec C.4 case 2), counted in bytes sent; the record of those zones survives a restart of the
 * primary (it is on disk before the writes it covers).
 */
public class ZoneReintegrationTest {
  private static final long ZONE = 1 << 20;
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private void pokeAt(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(new byte[4096]);
    }
  }

  @Test
  public void aReturningSecondaryGetsOnlyTheZonesWrittenMeanwhile() throws Exception {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE);
    Path a = pair.a.get(0);
    byte[] big = new byte[32 << 20];
    new java.util.Random(7).nextBytes(big);
    Files.write(a.resolve("big"), big);
    for (int i = 0; i < 50; i++) {
      Files.writeString(a.resolve("small-" + i), "file " + i);
    }
    pair.open();
    pair.start();
    assertTrue(pair.lastBytesSent() >= big.length); // the first copy is full
    pair.awaitNoDirtyZones(); // flushed on the secondary: nothing recorded any more

    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pokeAt(a.resolve("big"), 3 * ZONE + 100);
    pokeAt(a.resolve("big"), 17 * ZONE + 5);
    Files.writeString(a.resolve("small-7"), "changed while the secondary was away");
    // the primary restarts cleanly: the record of the zones comes back from disk
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    pair.node1.startPrimary(false);

    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("");
    pair.two.await(e -> e.startsWith("reintegrated "), 60_000);
    long sent = pair.lastBytesSent();
    assertTrue("zones only: " + sent + " bytes", sent <= 3 * ZONE);
    assertTrue("the changed zones: " + sent + " bytes", sent >= 2 * 4096);
    assertEquals(Trees.describe(a), Trees.describe(pair.b.get(0)));
  }

  @Test
  public void fullsyncCopiesEverythingAgain() throws Exception {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE);
    Path a = pair.a.get(0);
    Files.write(a.resolve("big"), new byte[8 << 20]);
    pair.open();
    pair.start();
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("fullsync");
    pair.two.await(e -> e.startsWith("reintegrated "), 60_000);
    assertTrue(pair.lastBytesSent() >= 8 << 20);
    assertEquals(Trees.describe(a), Trees.describe(pair.b.get(0)));
  }
}
