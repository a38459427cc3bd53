package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.bulwark.itests.Replicas.STEP;
import static org.bulwark.itests.Replicas.assertHolds;
import static org.bulwark.itests.Replicas.assertLogged;
import static org.bulwark.itests.Replicas.awaitLogged;
import static org.bulwark.itests.Replicas.awaitSameTrees;
import static org.bulwark.itests.Replicas.millisSince;
import static org.bulwark.itests.Replicas.timesLogged;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/**
 * A node killed ({@code kill -9}) while the secondary's reintegration runs (issue 9; spec C.4, C.5,
 * C.11), with a real pair in the namespace lab and an application writing on the primary: the
 * primary holds 32 MiB copied at a capped rate ({@code reiallowedbw}), so that the reintegration is
 * caught half done — some files whole on the secondary's disk, others not yet there. The session
 * has two connections ({@code nbremconn="2"}, the copies and the application's changes spread over
 * both): the default of one is what every other replication test runs.
 *
 * <ul>
 *   <li>the secondary killed: the primary goes on alone with its application; the secondary's node
 *       restarted, its next reintegration completes (PRIM/SECOND Ready) and both trees are equal
 *       byte for byte, every acknowledged record on both;
 *   <li>the primary killed: the half-reintegrated secondary does not take over (WAIT NotReady, not
 *       up to date), and {@code prim} on it aborts back to STOP, its data inconsistent (spec C.11);
 *       the primary's node restarted leads again (PRIM, its history the newer one, spec C.5), the
 *       secondary is reintegrated again and both trees end equal.
 * </ul>
 */
public class ReintegrationCrashIT {
  private static final String ADDR1 = "127.0.3.237";
  private static final String ADDR2 = "127.0.3.238";
  private static final int PORT1 = 19435;
  private static final int PORT2 = 19436;
  private static final String HEART = "pulse=\"100\" timeout=\"2000\"";
  private static final int STEP_SECONDS = (int) STEP.toSeconds();

  private static final int FILES = 32;
  private static final int FILE_BYTES = 1 << 20;

  /** KB/s: a full copy of the bulk takes about 4 s, wide enough to stop it in the middle. */
  private static final int REIALLOWEDBW = 8192;

  /** The application's pace: about a record every 2 ms, a few hundred KiB in a run. */
  private static final long PAUSE_MICROS = 2000;

  private static final String UPDATING = "Updating directory tree from";
  private static final String JOINED = "Replication connection 1 of the secondary joined";
  private static final String REINTEGRATED = "Reintegration ended (synchronize)";
  private static final String LOCAL_ALONE = "Local state ALONE Ready";
  private static final String NOT_UPTODATE = "Data may not be uptodate for replicated directories";
  private static final String INCONSISTENT =
      "Data may be inconsistent for replicated directories (stopped during reintegration)";

  @Test
  public void secondaryKilledDuringItsReintegrationIsReintegratedAgain() throws Exception {
    inLab(ReintegrationCrashIT::killSecondary);
  }

  @Test
  public void primaryKilledDuringAReintegrationLeadsAgainAfterItsRestart() throws Exception {
    inLab(ReintegrationCrashIT::killPrimary);
  }

  private static void inLab(Replicas.Scenario scenario) throws Exception {
    Replicas.inLab(
        ADDR1,
        PORT1,
        ADDR2,
        PORT2,
        HEART,
        shared ->
            "    <rfs async=\"second\" nbremconn=\"2\" reiallowedbw=\""
                + REIALLOWEDBW
                + "\">\n      <replicated dir=\""
                + shared
                + "\"/>\n    </rfs>\n",
        scenario);
  }

  private static void killSecondary(MirrorPair pair, Path shared) throws Exception {
    NodeProcess n1 = pair.n1;
    NodeProcess n2 = pair.n2;
    Interrupted killed = interrupt(pair, shared, pair.ns2);
    List<Long> acknowledged;
    long again;
    try (RecordWriter w = killed.writer()) {
      // the primary goes on alone, and so does its application
      pair.await(n1, "ALONE", STEP_SECONDS);
      w.awaitAcknowledged(w.acknowledged().size() + 10, STEP);

      long t = System.nanoTime();
      ok(n2.start());
      ok(n2.safekit("start", "-m", MODULE));
      pair.await(n2, "SECOND", STEP_SECONDS);
      pair.await(n1, "PRIM", STEP_SECONDS);
      again = millisSince(t);
      // the reintegration killed had begun and never ended: the one after the restart did
      assertEquals("reintegrations begun on node 2", 2, timesLogged(n2, UPDATING));
      assertEquals("reintegrations ended on node 2", 1, timesLogged(n2, REINTEGRATED));
      assertEquals("second connections joined", 2, timesLogged(n1, JOINED));
      w.awaitAcknowledged(w.acknowledged().size() + 10, STEP); // followed synchronously now
      w.close();
      w.awaitEnd(STEP);
      acknowledged = w.acknowledged();
    }
    awaitSameTrees(pair, "after the reintegration that followed the secondary's crash");
    assertRecordsOnBoth(pair, acknowledged);
    System.out.printf(
        "ReintegrationCrashIT: secondary killed %d ms after second (%d of %d files whole on it);"
            + " from its restart to PRIM/SECOND Ready %d ms; %d records acknowledged%n",
        killed.millis(), killed.whole(), FILES, again, acknowledged.size());
  }

  private static void killPrimary(MirrorPair pair, Path shared) throws Exception {
    NodeProcess n1 = pair.n1;
    NodeProcess n2 = pair.n2;
    Interrupted killed = interrupt(pair, shared, pair.ns1); // the application with it
    List<Long> acknowledged;
    try (RecordWriter w = killed.writer()) {
      w.awaitEnd(STEP);
      acknowledged = w.acknowledged();
    }

    // half-copied data cannot take over (spec C.4): WAIT NotReady, not up to date (C.5)
    pair.await(n2, "WAIT", STEP_SECONDS);
    awaitLogged(n2, NOT_UPTODATE);
    assertEquals("node 2 went ALONE", 0, timesLogged(n2, LOCAL_ALONE));

    // nor by prim: stopped during its reintegration, it needs primforce (spec C.11)
    ok(n2.safekit("stop", "-m", MODULE));
    pair.await(n2, "STOP", STEP_SECONDS);
    ok(n2.safekit("prim", "-m", MODULE));
    awaitLogged(n2, INCONSISTENT);
    pair.await(n2, "STOP", STEP_SECONDS);
    assertLogged(n2, "run safekit primforce to force start as primary");
    assertLogged(n2, "Requested prim start aborted");
    assertEquals("node 2 went ALONE", 0, timesLogged(n2, LOCAL_ALONE));

    // a plain start waits for its peer; the primary's node restarted leads again: both wait, the
    // newer history ranks first and becomes PRIM, the other follows (spec C.5)
    ok(n2.safekit("start", "-m", MODULE));
    pair.await(n2, "WAIT", STEP_SECONDS);
    long t = System.nanoTime();
    ok(n1.start());
    ok(n1.safekit("start", "-m", MODULE));
    pair.await(n2, "SECOND", STEP_SECONDS);
    pair.await(n1, "PRIM", STEP_SECONDS);
    long again = millisSince(t);
    assertEquals("node 2 went ALONE", 0, timesLogged(n2, LOCAL_ALONE));
    assertEquals("reintegrations begun on node 2", 2, timesLogged(n2, UPDATING));
    assertEquals("reintegrations ended on node 2", 1, timesLogged(n2, REINTEGRATED));
    awaitSameTrees(pair, "after the reintegration that followed the primary's crash");
    assertRecordsOnBoth(pair, acknowledged);
    System.out.printf(
        "ReintegrationCrashIT: primary killed %d ms after second (%d of %d files whole on the"
            + " secondary); from its restart to PRIM/SECOND Ready %d ms; %d records"
            + " acknowledged%n",
        killed.millis(), killed.whole(), FILES, again, acknowledged.size());
  }

  /** The application on the primary; how many bulk files were whole, when the kill came. */
  private record Interrupted(RecordWriter writer, int whole, long millis) {}

  /**
   * Node 1 holds the sample tree and the bulk, node 2 nothing: {@code prim} on node 1, an
   * application writing there, {@code second} on node 2, then {@code kill -9} of {@code victim}
   * once node 2's reintegration is really copying.
   */
  private static Interrupted interrupt(MirrorPair pair, Path shared, NodeNamespace victim)
      throws Exception {
    SampleTrees.populate(pair.ns1.disk.data);
    List<Path> bulk = SampleTrees.bulk(pair.ns1.disk.data, FILES, FILE_BYTES);
    ok(pair.n1.safekit("prim", "-m", MODULE));
    pair.await(pair.n1, "ALONE", STEP_SECONDS);
    RecordWriter w = RecordWriter.spawn(pair.ns1, shared.resolve("records"), 1, 0, PAUSE_MICROS);
    try {
      w.awaitAcknowledged(10, STEP);
      long t = System.nanoTime();
      ok(pair.n2.safekit("second", "-m", MODULE));
      int whole = awaitHalfCopied(pair, bulk);
      victim.crash();
      return new Interrupted(w, whole, millisSince(t));
    } catch (Exception | AssertionError e) {
      w.close();
      throw e;
    }
  }

  /** Both disks hold every record acknowledged to the application, whole and in order. */
  private static void assertRecordsOnBoth(MirrorPair pair, List<Long> acknowledged)
      throws IOException {
    for (NodeNamespace ns : List.of(pair.ns1, pair.ns2)) {
      assertHolds(
          Files.readString(ns.disk.data.resolve("records")),
          acknowledged,
          ns.node.address + " at the end");
    }
  }

  /**
   * Waits until the secondary's reintegration is really copying: a quarter of the bulk's files are
   * whole on its disk; fails when every file is whole already (the reintegration could not be
   * caught running). Returns how many are whole.
   */
  private static int awaitHalfCopied(MirrorPair pair, List<Path> bulk) throws Exception {
    Set<Path> whole = new HashSet<>();
    NodeNamespace.await(
        () -> {
          for (Path f : bulk) {
            if (!whole.contains(f) && sameContent(pair.ns1.disk.data, pair.ns2.disk.data, f)) {
              whole.add(f);
            }
          }
          return whole.size() >= bulk.size() / 4;
        },
        STEP,
        () -> "the reintegration copied " + whole.size() + " of " + bulk.size() + " files");
    if (whole.size() == bulk.size()) {
      throw new AssertionError("the reintegration ended before it could be interrupted");
    }
    return whole.size();
  }

  /** {@code f} is on both disks with the same bytes. */
  private static boolean sameContent(Path primary, Path secondary, Path f) {
    try {
      Path copy = secondary.resolve(f);
      return Files.isRegularFile(copy)
          && Files.size(copy) == Files.size(primary.resolve(f))
          && Files.mismatch(primary.resolve(f), copy) == -1;
    } catch (NoSuchFileException e) {
      return false; // the secondary renamed or replaced it meanwhile: not whole yet
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
