package org.bulwark.rfs.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * What the primary's replication reports when its secondary is lost and when replication fails on
 * the primary itself (spec C.7, issue 11), with real files through its mount: a lost session is a
 * link failure ({@code degraded}, a PRIM goes ALONE; {@code rfs.degraded} stays down, the returning
 * secondary is attached and reintegrated); a change record that cannot be written is unrecoverable
 * ({@code rfs.degraded} up, the application goes on alone, every secondary refused until the
 * primary is stopped and started).
 */
public class DegradedReplicationTest {
  private static final long LIMIT = 60_000;
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void aLostSecondaryIsALinkFailure_notDegraded() throws Exception {
    pair.open();
    pair.start();
    pair.one.await(e -> e.equals("attached"), LIMIT);
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), LIMIT);
    Files.writeString(pair.a.get(0).resolve("alone"), "written while alone");
    assertTrue(
        pair.one.events().toString(),
        pair.one.events().stream().noneMatch(e -> e.equals("resource rfs.degraded=up")));
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("");
    pair.one.await(e -> e.equals("attached"), LIMIT);
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    pair.barrier();
    pair.assertSameTrees("reintegrated after a lost secondary");
  }

  @Test
  public void aChangeRecordThatCannotBeWrittenDegradesThePrimaryUntilItIsRestarted()
      throws Exception {
    pair.open();
    pair.start();
    pair.node1.primaryReplica().zones().loseFile(); // the disk of SAFEVAR failed
    byte[] data = "the application goes on".getBytes(StandardCharsets.US_ASCII);
    Files.write(pair.a.get(0).resolve("after-the-failure"), data);
    pair.one.await(e -> e.equals("resource rfs.degraded=up"), LIMIT);
    pair.one.await(
        e -> e.startsWith("degraded replication failed on the primary: the change record"), LIMIT);
    pair.one.await(
        e -> e.startsWith("log E nfsadmin Replication failed on the primary: the change record"),
        LIMIT);
    assertArrayEquals(data, Files.readAllBytes(pair.a.get(0).resolve("after-the-failure")));

    pair.assertRefusedThenRecoveredInFull();
  }
}
