package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern SENT =
      Pattern.compile("Secondary reintegrated: (\\d+) files, (\\d+) bytes");

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private long lastBytesSent() throws Exception {
    String line = pair.one.await(e -> SENT.matcher(e).find(), 60_000);
    Matcher m = SENT.matcher(line);
    assertTrue(m.find());
    return Long.parseLong(m.group(2));
  }

  private void awaitNoDirtyZones() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (pair.node1.status().dirtyZones() != 0) {
      assertTrue("zones never flushed: " + pair.node1.status(), System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }

  private void pokeAt(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(new byte[4096]);
    }
  }

  @Test
  public void aReturningSecondaryGetsOnlyTheZonesWrittenMeanwhile() throws Exception {
    pair.rfs =
        TestRfs.with(
            List.of("/srv/app/d0"),
            Rfs.Async.SECOND,
            Duration.ofSeconds(100),
            Duration.ofSeconds(30),
            ZONE);
    Path a = pair.a.get(0);
    byte[] big = new byte[32 << 20];
    new java.util.Random(7).nextBytes(big);
    Files.write(a.resolve("big"), big);
    for (int i = 0; i < 50; i++) {
      Files.writeString(a.resolve("small-" + i), "file " + i);
    }
    pair.open();
    pair.start();
    assertTrue(lastBytesSent() >= big.length); // the first copy is full
    awaitNoDirtyZones(); // flushed on the secondary: nothing recorded any more

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
    long sent = lastBytesSent();
    assertTrue("zones only: " + sent + " bytes", sent <= 3 * ZONE);
    assertTrue("the changed zones: " + sent + " bytes", sent >= 2 * 4096);
    assertEquals(Trees.describe(a), Trees.describe(pair.b.get(0)));
  }

  @Test
  public void fullsyncCopiesEverythingAgain() throws Exception {
    pair.rfs =
        TestRfs.with(
            List.of("/srv/app/d0"),
            Rfs.Async.SECOND,
            Duration.ofSeconds(100),
            Duration.ofSeconds(30),
            ZONE);
    Path a = pair.a.get(0);
    Files.write(a.resolve("big"), new byte[8 << 20]);
    pair.open();
    pair.start();
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("fullsync");
    pair.two.await(e -> e.startsWith("reintegrated "), 60_000);
    assertTrue(lastBytesSent() >= 8 << 20);
    assertEquals(Trees.describe(a), Trees.describe(pair.b.get(0)));
  }
}
