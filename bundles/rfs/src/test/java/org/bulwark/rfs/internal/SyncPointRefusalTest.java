package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Spec C.4 {@code synctimestamp}: a secondary whose last synchronisation point is not one the
 * primary's record describes is refused an automatic reintegration, with SafeKit's message; {@code
 * second fullsync} is the remedy. A primary with no point of its own copies everything instead.
 */
public class SyncPointRefusalTest {
  private static final long LIMIT = 60_000;
  static final String ABNORMAL =
      "Automatic synchronization cannot be applied due to an abnormal delta between the dates of"
          + " the last synchronization";

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.245", "127.0.3.246", 19444);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /** Node 2's recorded point replaced, as if its state came from another history. */
  private void node2PointBecomes(long id) throws Exception {
    Path file = tmp.getRoot().toPath().resolve("node2-state/sync.properties");
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    p.setProperty("syncId", Long.toString(id));
    p.setProperty("previousSyncId", "0");
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, null);
    }
  }

  /** Both nodes synchronised once, node 2's secondary stopped, a change made meanwhile. */
  private void synchronisedThenAway() throws Exception {
    Files.writeString(pair.a.get(0).resolve("f"), "first");
    pair.open();
    pair.start();
    pair.assertSameTrees("first reintegration");
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), LIMIT);
    Files.writeString(pair.a.get(0).resolve("f"), "second");
    Files.writeString(pair.b.get(0).resolve("mine"), "the secondary's own");
    pair.one.clear();
    pair.two.clear();
  }

  @Test
  public void anUnknownPointIsRefusedUntilSecondFullsync() throws Exception {
    synchronisedThenAway();
    node2PointBecomes(424242);

    pair.node2.startSecondary("");
    assertEquals(
        "reintegrated false " + ABNORMAL,
        pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    pair.one.await(e -> e.equals("log E reintegre " + ABNORMAL), LIMIT);
    pair.two.await(
        e -> e.equals("log E reintegre Synchronization refused by the primary: " + ABNORMAL),
        LIMIT);
    assertFalse(pair.two.events().contains("reintegration started"));
    assertEquals("first", Files.readString(pair.b.get(0).resolve("f")));
    assertEquals("the secondary's own", Files.readString(pair.b.get(0).resolve("mine")));

    // the remedy: safekit second fullsync -m AM
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.two.clear();
    pair.node2.startSecondary("fullsync");
    assertReintegratedInFull("after second fullsync");
  }

  /** Node 2's reintegration ended, in full, and the trees are the same. */
  private void assertReintegratedInFull(String what) throws Exception {
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    assertTrue(
        pair.two.events().toString(),
        pair.two
            .events()
            .contains("log I reintegre Full synchronization of the replicated directories"));
    pair.barrier();
    pair.assertSameTrees(what);
  }

  @Test
  public void primFullsyncCopiesEverythingToASecondaryWithAPoint() throws Exception {
    synchronisedThenAway();
    // prim fullsync (also primforce): the primary forgets its point, the secondary keeps its own
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    pair.node1.startPrimary(true);

    pair.node2.startSecondary("");
    assertReintegratedInFull("after prim fullsync");
    assertTrue(pair.one.events().stream().noneMatch(e -> e.contains("abnormal delta")));
  }
}
