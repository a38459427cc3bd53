package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
 * {@code swap nosync} (spec C.10): after a swap of a synchronised pair, the former primary started
 * as secondary with the policy {@code nosync} lists nothing and is sent only what the new primary
 * wrote since it took over; the trees stay the same. When the new primary changed names meanwhile,
 * or the pair shares no synchronisation point, the trees are compared as in a plain swap.
 */
public class SwapNosyncTest {
  private static final long ZONE = 1 << 20;
  private static final Pattern SENT =
      Pattern.compile("Secondary reintegrated: (\\d+) files, (\\d+) bytes");
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.241", "127.0.3.242", 19439);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /** Node 1 primary of a tree of 8 MiB and 50 small files, synchronised, nothing left recorded. */
  private Path synchronisedPair() throws Exception {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE);
    Path a = pair.a.get(0);
    byte[] big = new byte[8 << 20];
    new java.util.Random(11).nextBytes(big);
    Files.write(a.resolve("big"), big);
    for (int i = 0; i < 50; i++) {
      Files.writeString(a.resolve("small-" + i), "file " + i);
    }
    pair.open();
    pair.start();
    pair.assertSameTrees("first reintegration");
    pair.awaitNoDirtyZones();
    return a;
  }

  /**
   * The swap's replication steps in the automaton's order (spec E.4 swap), up to node 2 primary.
   */
  private void swapToNode2() throws Exception {
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.clear();
    pair.two.clear();
    pair.node2.startPrimary(false);
  }

  /** Node 1 follows node 2 with {@code policy}; the bytes node 2 copied for it. */
  private long node1Follows(String policy) throws Exception {
    pair.node1.startSecondary(policy);
    String ended = pair.one.await(e -> e.startsWith("reintegrated "), 60_000);
    assertEquals(pair.one.events().toString(), "reintegrated true", ended);
    String line = pair.two.await(e -> SENT.matcher(e).find(), 60_000);
    Matcher m = SENT.matcher(line);
    assertTrue(m.find());
    return Long.parseLong(m.group(2));
  }

  /** Whether {@code r} recorded an event containing {@code part} (said when it did not). */
  private static boolean logged(Recorder r, String part) {
    boolean found = r.events().stream().anyMatch(e -> e.contains(part));
    if (!found) {
      System.out.println("not among the events: " + part + " in " + r.events());
    }
    return found;
  }

  private static void pokeAt(Path file, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(new byte[] {1, 2, 3, 4});
    }
  }

  private void assertSameAfterSwap(Path a) throws Exception {
    Posix.fsync(pair.b.get(0).toString()); // node 2 is the primary now: its barrier
    assertEquals(Trees.describe(pair.b.get(0)), Trees.describe(a));
  }

  @Test
  public void theFormerPrimaryFollowsWithoutComparingTheTrees() throws Exception {
    Path a = synchronisedPair();
    swapToNode2();
    pokeAt(pair.b.get(0).resolve("big"), 5 * ZONE + 10); // the application, before node 1 follows

    long sent = node1Follows(SwapNosync.POLICY);

    assertTrue("the zone written since the swap only: " + sent + " bytes", sent <= ZONE);
    assertTrue(
        logged(pair.one, "log I reintegre Swap nosync: the replicated directories are not listed"));
    assertTrue(logged(pair.two, "Swap nosync: the replicated directories are not compared"));
    assertFalse(logged(pair.two, "Swap nosync not applied"));
    assertSameAfterSwap(a);
  }

  @Test
  public void namesChangedSinceTheSwapAreFoundByComparingTheTrees() throws Exception {
    Path a = synchronisedPair();
    swapToNode2();
    Files.writeString(pair.b.get(0).resolve("created-after-the-swap"), "new");
    Files.delete(pair.b.get(0).resolve("small-3"));

    node1Follows(SwapNosync.POLICY);

    assertTrue(logged(pair.two, "the trees were compared"));
    assertSameAfterSwap(a);
  }

  @Test
  public void withoutASharedSynchronisationPointTheSwapCopiesEverything() throws Exception {
    Path a = synchronisedPair();
    swapToNode2();
    pair.node2.stopPrimary(Duration.ofSeconds(5));
    pair.node2.startPrimary(true); // prim fullsync: the point is forgotten on the new primary

    long sent = node1Follows(SwapNosync.POLICY);

    assertTrue("a full copy: " + sent + " bytes", sent >= 8 << 20);
    assertTrue(logged(pair.two, "Swap nosync not applied"));
    assertSameAfterSwap(a);
  }
}
