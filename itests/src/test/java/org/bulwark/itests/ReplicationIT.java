package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.bulwark.itests.Replicas.STEP;
import static org.bulwark.itests.Replicas.assertFuseAt;
import static org.bulwark.itests.Replicas.assertHolds;
import static org.bulwark.itests.Replicas.assertLogged;
import static org.bulwark.itests.Replicas.assertReadOnly;
import static org.bulwark.itests.Replicas.assertSameTrees;
import static org.bulwark.itests.Replicas.awaitSameTrees;
import static org.bulwark.itests.Replicas.count;
import static org.bulwark.itests.Replicas.millisSince;
import static org.bulwark.itests.Replicas.peek;
import static org.bulwark.itests.Replicas.poke;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.Test;

/**
 * Replication of a mirror module's directory between two real nodes (spec B.7, C.2–C.5, C.10): each
 * node in a mount namespace of its own with its private directory at one shared path, the primary's
 * FUSE mount over it, the changes sent over TCP. The first {@code second} reintegrates a secondary
 * that held stale junk; an fsync on the primary returns once the secondary has the data on disk, so
 * a {@code kill -9} of the primary loses nothing acknowledged; the crashed node comes back as
 * SECOND with what the survivor wrote alone; a swap and its reverse keep both copies equal and send
 * the writes the other way. Copies are compared on the host, beneath the mounts ({@link
 * TreeImage}); applications run in the nodes' namespaces ({@link RecordWriter}).
 */
public class ReplicationIT {
  private static final String HEART = "pulse=\"100\" timeout=\"2000\"";

  /** timeout 2 s + pulse + the role scripts, with a wide margin for a loaded 2-core CI machine. */
  private static final int FAILOVER_SECONDS = 20;

  private static final int STEP_SECONDS = (int) STEP.toSeconds();
  private static final String REINTEGRATED = "Reintegration ended (synchronize)";

  /** {@code ruzone_blocksize} by default (spec B.7): the unit of a zone reintegration. */
  private static final int ZONE = 8 << 20;

  @Test
  public void replicatesFailsOverReintegratesAndSwaps() throws Exception {
    inLab(71, HEART, "second", "", ReplicationIT::failoverAndSwap);
  }

  /**
   * {@code mode="read_only"} with {@code async="none"} (spec B.7): the secondary's applications
   * read the replica through a read-only mount and cannot change it; a write on the primary is on
   * the secondary's disk when the call returns, without any fsync; after a clean stop of the
   * primary (spec C.2) the survivor's mount takes writes, and the stopped node comes back
   * read-only.
   */
  @Test
  public void readOnlySecondaryHasEachWriteWhenTheCallReturns() throws Exception {
    inLab(73, HEART, "none", " mode=\"read_only\"", ReplicationIT::readOnlySecondary);
  }

  /**
   * A write the crashed primary made on its own disk and never had acknowledged is undone when it
   * comes back as SECOND, even when the survivor changed only another zone of that file (spec C.4
   * case 3; the primary's write-intent record): node 2 is frozen so that the write cannot reach it,
   * then both nodes die; node 2 is forced primary ({@code prim}), writes elsewhere in the file, and
   * node 1 rejoins.
   */
  @Test
  public void unacknowledgedWriteOfACrashedPrimaryIsUndone() throws Exception {
    // node 1 must not give up on its frozen peer before it is killed
    String heart = "pulse=\"100\" timeout=\"6000\"";
    inLab(75, heart, "second", "", ReplicationIT::doubleCrash);
  }

  /**
   * Runs {@code scenario} on nodes 127.0.0.{@code first} and the next, in a fresh lab, with a
   * mirror module replicating the shared path; prints both nodes' logs when it fails.
   */
  private static void inLab(
      int first,
      String heart,
      String async,
      String replicatedAttributes,
      Replicas.Scenario scenario)
      throws Exception {
    Replicas.inLab(
        "127.0.0." + first,
        19000 + first,
        "127.0.0." + (first + 1),
        19001 + first,
        heart,
        shared -> Replicas.rfs(shared, async, replicatedAttributes),
        scenario);
  }

  /** {@code prim} on node 1, {@code second} on node 2: SECOND Ready once reintegrated (C.3). */
  private static void pairUp(MirrorPair pair) throws Exception {
    ok(pair.n1.safekit("prim", "-m", MODULE));
    pair.await(pair.n1, "ALONE", STEP_SECONDS);
    ok(pair.n2.safekit("second", "-m", MODULE));
    pair.await(pair.n2, "SECOND", STEP_SECONDS);
    pair.await(pair.n1, "PRIM", STEP_SECONDS);
    assertSameTrees(pair, "after the first reintegration");
    assertLogged(pair.n2, REINTEGRATED);
  }

  private static void failoverAndSwap(MirrorPair pair, Path shared) throws Exception {
    NodeProcess n1 = pair.n1;
    NodeProcess n2 = pair.n2;
    NodeNamespace ns1 = pair.ns1;
    NodeNamespace ns2 = pair.ns2;
    Path records = shared.resolve("records");
    Path records1 = ns1.disk.data.resolve("records");
    Path records2 = ns2.disk.data.resolve("records");

    // 1. node 1 holds the data, node 2 stale junk: after prim and second, node 2 holds node 1's
    SampleTrees.populate(ns1.disk.data);
    SampleTrees.junk(ns2.disk.data);
    TreeImage before = TreeImage.of(ns1.disk.data);
    long t = System.nanoTime();
    pairUp(pair);
    long paired = millisSince(t);
    assertEquals("the primary's tree changed", "", before.diff(TreeImage.of(ns1.disk.data)));
    assertEquals(200, pair.ready(n1));
    assertFuseAt(ns1, shared);
    assertEquals("hello\n", ok(ns1.run(STEP, "cat", shared.resolve("hello.txt").toString())).out());

    // 2. an application writes on the primary: each fsync returns once node 2 has it on disk
    t = System.nanoTime();
    List<Long> acknowledged = new ArrayList<>();
    try (RecordWriter w = RecordWriter.spawn(ns1, records, 1, 200)) {
      assertEquals(w.toString(), 0, w.awaitEnd(STEP));
      assertEquals(w.toString(), LongStream.rangeClosed(1, 200).boxed().toList(), w.acknowledged());
      acknowledged.addAll(w.acknowledged());
    }
    long writes = millisSince(t);
    assertHolds(Files.readString(records2), acknowledged, "node 2 right after the last fsync");
    awaitSameTrees(pair, "after 200 synchronous records");

    // 3. kill -9 of node 1 while the application writes: node 2 goes ALONE with every record
    // acknowledged to it, and serves its copy through its own mount
    long killed;
    try (RecordWriter w = RecordWriter.spawn(ns1, records, 201, 0)) {
      w.awaitAcknowledged(50, STEP);
      killed = System.nanoTime();
      ns1.crash();
      w.awaitEnd(STEP);
      acknowledged.addAll(w.acknowledged());
    }
    long lastAcknowledged = acknowledged.get(acknowledged.size() - 1);
    assertHolds(Files.readString(records2), acknowledged, "node 2 when node 1 died");
    long onDead = count(records1);
    long onSurvivor = count(records2);
    pair.await(n2, "ALONE", FAILOVER_SECONDS);
    long failover = millisSince(killed);
    assertEquals(200, pair.ready(n2));
    assertFuseAt(ns2, shared);
    assertHolds(ok(ns2.run(STEP, "cat", records.toString())).out(), acknowledged, "node 2 ALONE");
    assertLogged(n2, "Resource heartbeat.0 set to down by heart");

    // node 2 writes alone meanwhile, after what it holds (acknowledged or not)
    try (RecordWriter w = RecordWriter.spawn(ns2, records, count(records2) + 1, 50)) {
      assertEquals(w.toString(), 0, w.awaitEnd(STEP));
      acknowledged.addAll(w.acknowledged());
    }
    ok(
        ns2.run(
            STEP,
            "sh",
            "-c",
            "set -e; cd "
                + shared
                + "; echo alone > alone.txt; mkdir -p made/alone; echo x > made/alone/f;"
                + " rm hello.txt; chmod 700 bin/run.sh; ln -s made/alone/f newlink;"
                + " mv etc/app.conf etc/app.conf.bak"));
    TreeImage survivor = TreeImage.of(ns2.disk.data);

    // node 1 restarts: after a crash it cannot know its data is up to date (spec C.4 case 3): it
    // joins as SECOND and is reintegrated from node 2, its unacknowledged tail replaced
    t = System.nanoTime();
    ok(n1.start());
    long restart = millisSince(t);
    t = System.nanoTime();
    ok(n1.safekit("start", "-m", MODULE));
    pair.await(n1, "SECOND", STEP_SECONDS);
    pair.await(n2, "PRIM", STEP_SECONDS);
    long rejoin = millisSince(t);
    assertSameTrees(pair, "after node 1 came back from its crash");
    assertEquals("", survivor.diff(TreeImage.of(ns2.disk.data)));
    assertLogged(n1, REINTEGRATED);
    assertHolds(Files.readString(records1), acknowledged, "node 1 reintegrated");

    // 4. swap (asked on the SECOND), then back (asked on the PRIM): equal trees after each, and
    // the writes go the other way (spec C.10)
    t = System.nanoTime();
    ok(n1.safekit("swap", "-m", MODULE));
    pair.await(n1, "PRIM", STEP_SECONDS);
    pair.await(n2, "SECOND", STEP_SECONDS);
    long swap = millisSince(t);
    assertSameTrees(pair, "after the swap");
    writeOn(ns1, records, records1, records2, acknowledged, "node 2 after the swap");
    awaitSameTrees(pair, "after writes on node 1, PRIM again");

    t = System.nanoTime();
    ok(n1.safekit("swap", "-m", MODULE));
    pair.await(n2, "PRIM", STEP_SECONDS);
    pair.await(n1, "SECOND", STEP_SECONDS);
    long swapBack = millisSince(t);
    assertSameTrees(pair, "after the swap back");
    writeOn(ns2, records, records2, records1, acknowledged, "node 1 after the swap back");
    awaitSameTrees(pair, "after writes on node 2, PRIM again");

    System.out.printf(
        "ReplicationIT: prim then second to PRIM/SECOND Ready (5 MiB, junk) %d ms; 200 records"
            + " with fsync %d ms (%.1f ms each); kill -9 to ALONE Ready %d ms (%d records"
            + " acknowledged before it, %d written on node 1, %d on node 2); crashed node"
            + " restarted in %d ms, its module from start to SECOND Ready %d ms; swap %d ms; swap"
            + " back %d ms%n",
        paired,
        writes,
        writes / 200.0,
        failover,
        lastAcknowledged - 200,
        onDead - 200,
        onSurvivor - 200,
        restart,
        rejoin,
        swap,
        swapBack);
  }

  /**
   * 20 more records through the PRIM {@code ns}, after those on its disk ({@code primCopy}): each
   * is on the SECOND's disk ({@code secondCopy}) when its fsync returns.
   */
  private static void writeOn(
      NodeNamespace ns,
      Path records,
      Path primCopy,
      Path secondCopy,
      List<Long> acknowledged,
      String where)
      throws Exception {
    try (RecordWriter w = RecordWriter.spawn(ns, records, count(primCopy) + 1, 20)) {
      assertEquals(w.toString(), 0, w.awaitEnd(STEP));
      assertEquals(w.toString(), 20, w.acknowledged().size());
      acknowledged.addAll(w.acknowledged());
    }
    assertHolds(Files.readString(secondCopy), acknowledged, where);
  }

  private static void readOnlySecondary(MirrorPair pair, Path shared) throws Exception {
    NodeProcess n1 = pair.n1;
    NodeProcess n2 = pair.n2;
    NodeNamespace ns1 = pair.ns1;
    NodeNamespace ns2 = pair.ns2;
    Path f = shared.resolve("f");
    Files.writeString(ns1.disk.data.resolve("f"), "0\n");
    pairUp(pair);
    assertReadOnly(ns2, shared);

    // each append through node 1's mount is on node 2's disk, and seen through node 2's read-only
    // mount, as soon as the call returned
    StringBuilder expected = new StringBuilder("0\n");
    for (int i = 1; i <= 10; i++) {
      ok(ns1.run(STEP, "sh", "-c", "echo " + i + " >> " + f));
      expected.append(i).append('\n');
      assertEquals(expected.toString(), Files.readString(ns2.disk.data.resolve("f")));
      assertEquals(expected.toString(), ok(ns2.run(STEP, "cat", f.toString())).out());
    }
    awaitSameTrees(pair, "after the appends");

    // clean stop of the primary: node 2 goes ALONE at once and its mount takes writes
    ok(n1.safekit("stop", "-m", MODULE));
    pair.await(n1, "STOP", STEP_SECONDS);
    pair.await(n2, "ALONE", STEP_SECONDS);
    ok(ns2.run(STEP, "sh", "-c", "echo alone >> " + f + " && mkdir " + shared.resolve("d")));
    ok(n1.safekit("start", "-m", MODULE));
    pair.await(n1, "SECOND", STEP_SECONDS);
    pair.await(n2, "PRIM", STEP_SECONDS);
    assertSameTrees(pair, "after node 1 came back from its clean stop");
    assertEquals(expected + "alone\n", Files.readString(ns1.disk.data.resolve("f")));
    assertReadOnly(ns1, shared);
  }

  private static void doubleCrash(MirrorPair pair, Path shared) throws Exception {
    NodeProcess n1 = pair.n1;
    NodeProcess n2 = pair.n2;
    NodeNamespace ns1 = pair.ns1;
    NodeNamespace ns2 = pair.ns2;
    Path slots = shared.resolve("slots.bin");
    byte[] zones = new byte[3 * ZONE];
    new Random(3).nextBytes(zones);
    Files.write(ns1.disk.data.resolve("slots.bin"), zones);
    pairUp(pair);

    // node 2 frozen: node 1's write into zone 0 reaches node 1's disk, then waits for node 2
    ok(NodeProcess.run(List.of("kill", "-STOP", Long.toString(n2.pid())), Map.of()));
    Process write = ns1.spawn("sh", "-c", poke(slots, 4096, "UNACKNOWLEDGED"));
    NodeNamespace.await(
        () -> peek(ns1.disk.data.resolve("slots.bin"), 4096, 14).equals("UNACKNOWLEDGED"),
        STEP,
        () -> "node 1 never wrote into slots.bin");
    assertTrue("the write returned though node 2 is frozen", write.isAlive());
    ns1.crash();
    ns2.crash();
    assertNotEquals("UNACKNOWLEDGED", peek(ns2.disk.data.resolve("slots.bin"), 4096, 14));

    // node 2 forced primary writes into zone 1 only; then node 1 comes back
    Concurrently.inParallel(() -> ok(n1.start()), () -> ok(n2.start()));
    ok(n2.safekit("prim", "-m", MODULE));
    pair.await(n2, "ALONE", STEP_SECONDS);
    ok(ns2.run(STEP, "sh", "-c", poke(slots, ZONE + 4096, "SURVIVOR")));
    TreeImage survivor = TreeImage.of(ns2.disk.data);
    ok(n1.safekit("start", "-m", MODULE));
    pair.await(n1, "SECOND", STEP_SECONDS);
    pair.await(n2, "PRIM", STEP_SECONDS);
    assertEquals("", survivor.diff(TreeImage.of(ns2.disk.data)));
    assertSameTrees(pair, "after the crashed primary came back");
  }
}
