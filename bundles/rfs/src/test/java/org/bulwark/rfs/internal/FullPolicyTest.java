package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
 * Spec C.4 case 4: {@code primforce} ({@code prim fullsync}), {@code rfssync full} and {@code
 * safekit config} on either node force a full copy at the next reintegration of a secondary that
 * left cleanly, which would otherwise get nothing (it holds every byte), and none is refused for
 * the synchronisation point the configured node forgot.
 */
public class FullPolicyTest {
  private static final int SIZE = 4 << 20;
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.241", "127.0.3.242", 19440);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /** Node 1 primary, node 2 synchronised then stopped cleanly: it holds every byte. */
  private void secondaryAway() throws Exception {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, 1 << 20);
    byte[] data = new byte[SIZE];
    new java.util.Random(5).nextBytes(data);
    Files.write(pair.a.get(0).resolve("data"), data);
    pair.open();
    pair.start();
    pair.awaitNoDirtyZones();
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), 30_000);
  }

  /** Node 2 follows again: the bytes node 1 copied for it. */
  private long secondaryBack() throws Exception {
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("");
    assertEquals(
        pair.two.events().toString(),
        "reintegrated true",
        pair.two.await(e -> e.startsWith("reintegrated "), 60_000));
    long sent = pair.lastBytesSent();
    pair.barrier();
    pair.assertSameTrees("after the reintegration");
    return sent;
  }

  /** {@code safekit config -m AM} on a node: the deployer's mark beside the state. */
  private void configured(String node) throws Exception {
    Files.writeString(
        tmp.getRoot().toPath().resolve(node + "-state").resolve(SyncState.CONFIGURED), "now\n");
  }

  @Test
  public void aCleanReturnCopiesNothing() throws Exception {
    secondaryAway();
    assertTrue(secondaryBack() < SIZE);
  }

  @Test
  public void primforceCopiesEverything() throws Exception {
    secondaryAway();
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    pair.node1.startPrimary(true);
    assertTrue(secondaryBack() >= SIZE);
  }

  @Test
  public void rfssyncFullCopiesEverything() throws Exception {
    secondaryAway();
    pair.node1.rfssync(List.of("full"));
    assertTrue(secondaryBack() >= SIZE);
  }

  @Test
  public void configOfTheRunningPrimaryCopiesEverything() throws Exception {
    secondaryAway();
    configured("node1"); // a live config: the primary keeps running
    assertTrue(secondaryBack() >= SIZE);
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), 30_000);
    assertTrue("once only", secondaryBack() < SIZE);
  }

  @Test
  public void configOfTheSecondaryCopiesEverything() throws Exception {
    secondaryAway();
    configured("node2");
    assertTrue(secondaryBack() >= SIZE);
  }

  @Test
  public void configOfTheStoppedPrimaryCopiesEverything() throws Exception {
    secondaryAway();
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    configured("node1");
    pair.node1.startPrimary(false);
    assertTrue(secondaryBack() >= SIZE);
    Path marker = tmp.getRoot().toPath().resolve("node1-state").resolve(SyncState.CONFIGURED);
    assertTrue("read once", Files.notExists(marker));
  }
}
