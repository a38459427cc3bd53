package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Files with several names (hard links) reintegrated by several streams and applied by several
 * lanes while the application writes through every name (spec B.7 {@code nbrei}, C.4). The
 * secondary's lanes go by name, so the changes of such a file must be applied in the stream's
 * order: the primary marks them when it reads the file ({@link Msg.Op#linked}), and the secondary,
 * which looks at none of its own files for this, applies every marked change on its first lane
 * after everything before it. Groups of three names in three directories are written through all of
 * them without pause; the secondary holds them already linked, with older data, so that nothing but
 * the primary's mark routes them (no link is sent); meanwhile another writer links, unlinks,
 * creates and rewrites files of a second tree (names given and taken during the reintegration).
 * Each change the secondary applies to a group's name must run on the first lane, other files' on
 * several; the trees must be the same at the end. Then again after the secondary left and came back
 * (only the zones written meanwhile).
 *
 * <p>The writes derive from a seed, printed; replay with {@code -Drfs.seed=<seed>}.
 */
public class HardLinkReintegrationTest {
  private static final long REINTEGRATION_MILLIS = 60_000;
  private static final long CALLS_MILLIS = 30_000;
  private static final int GROUPS = 24;
  private static final String FIRST_LANE = "rfs-apply-mirror";

  /**
   * What the second writer does: names given and taken (renames over files too: one renamed over
   * during the second reintegration is copied whole by the next pass, docs/replication.md), data
   * rewritten.
   */
  private static Set<LoadWriter.Call> calls() {
    return EnumSet.of(
        LoadWriter.Call.WRITE,
        LoadWriter.Call.APPEND,
        LoadWriter.Call.CREATE,
        LoadWriter.Call.TRUNCATE,
        LoadWriter.Call.UNLINK,
        LoadWriter.Call.LINK,
        LoadWriter.Call.RENAME);
  }

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.80", "127.0.3.81", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHook() {
    SecondaryHandler.beforeApply = null;
  }

  /** The names of group {@code g}: one in each of three directories (three lanes, likely). */
  private static List<String> names(int g) {
    return List.of(
        String.format("linked/x/g%02d", g),
        String.format("linked/y/g%02d-b", g),
        String.format("linked/z/deeper/g%02d-c", g));
  }

  /** Whether a name of a group (not one of their directories). */
  private static boolean grouped(String path) {
    return path.matches("/?linked/.*/g\\d\\d(-[bc])?");
  }

  @Test
  public void aFileWithSeveralNamesIsAppliedInOrderWhileWrittenThroughEachName() throws Exception {
    long seed = Long.getLong("rfs.seed", new Random().nextLong());
    System.out.println("HardLinkReintegrationTest seed " + seed + " (-Drfs.seed replays it)");
    Random r = new Random(seed);
    pair.rfs = TestRfs.withStreams(pair.rfs, 4);
    Path a = pair.a.get(0);
    Path b = pair.b.get(0);
    fill(a, b, r);

    Set<String> misrouted = ConcurrentHashMap.newKeySet();
    Set<String> lanes = ConcurrentHashMap.newKeySet();
    AtomicLong groupChanges = new AtomicLong();
    SecondaryHandler.beforeApply =
        c -> {
          String thread = Thread.currentThread().getName();
          lanes.add(thread);
          if (grouped(c.path())) {
            groupChanges.incrementAndGet();
            if (!thread.equals(FIRST_LANE)) {
              misrouted.add(c.getClass().getSimpleName() + " " + c.path() + " on " + thread);
            }
          }
        };
    pair.open();
    pair.node1.startPrimary(false);

    try (LoadWriter w = new LoadWriter(a, seed, calls()).start();
        LoadWriter g = groupWriter(a, seed + 2).start()) {
      w.awaitCalls(0, 100, CALLS_MILLIS);
      g.awaitCalls(0, 100, CALLS_MILLIS);
      reintegrate(w, g, "first");
    }
    check("first", seed, misrouted, lanes, groupChanges);

    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), REINTEGRATION_MILLIS);
    pair.one.clear();
    pair.two.clear();
    lanes.clear();
    groupChanges.set(0);
    try (LoadWriter w = new LoadWriter(a, seed + 1, calls()).start();
        LoadWriter g = groupWriter(a, seed + 3).start()) {
      w.awaitCalls(0, 200, CALLS_MILLIS); // alone: what changes is only tracked
      g.awaitCalls(0, 200, CALLS_MILLIS);
      reintegrate(w, g, "second");
    }
    check("second", seed, misrouted, lanes, groupChanges);
  }

  private void check(
      String which, long seed, Set<String> misrouted, Set<String> lanes, AtomicLong groupChanges)
      throws Exception {
    pair.barrier();
    String what = "seed " + seed + " after the " + which + " reintegration";
    pair.assertStillSynchronous(what);
    pair.assertSameTrees(what);
    assertEquals(
        what + ": changes of a file with several names off the first lane", Set.of(), misrouted);
    assertTrue(what + ": the groups' changes were applied", groupChanges.get() > 0);
    assertTrue(
        what + ": other files' changes on several lanes: " + lanes,
        lanes.stream().filter(t -> t.startsWith(FIRST_LANE + "-")).count() > 1);
  }

  /** Starts the secondary under load; the load goes on past the end of its reintegration. */
  private void reintegrate(LoadWriter w, LoadWriter g, String which) throws Exception {
    long during = pair.reintegrateUnderLoad(which, g, REINTEGRATION_MILLIS).calls();
    w.awaitCalls(w.calls(), 100, CALLS_MILLIS); // synchronous replication under the same load
    g.awaitCalls(g.calls(), 100, CALLS_MILLIS);
    System.out.printf(
        "HardLinkReintegrationTest: %s reintegration, %d writes through the groups' names during it%n",
        which, during);
    assertTrue(which + ": the groups were written during the reintegration", during > 0);
  }

  /**
   * The primary's tree, before its mount: the second writer's files (half of its names), some of
   * them linked across its directories; the groups. The secondary's: the groups already linked,
   * with other data, and some of the second writer's files.
   */
  private static void fill(Path a, Path b, Random r) throws IOException {
    for (int d = 0; d < LoadWriter.DIRS; d++) {
      Files.createDirectories(a.resolve(LoadWriter.dir(d)));
      for (int f = 0; f < LoadWriter.FILES / 2; f++) {
        byte[] data = new byte[r.nextInt(16 << 10)];
        r.nextBytes(data);
        Files.write(a.resolve(LoadWriter.file(d, f)), data);
      }
    }
    for (int d = 0; d + 1 < LoadWriter.DIRS; d += 2) {
      Files.createLink(
          a.resolve(LoadWriter.file(d + 1, LoadWriter.FILES / 2 + d)),
          a.resolve(LoadWriter.file(d, d)));
    }
    for (Path root : List.of(a, b)) {
      for (String name : names(0)) {
        Files.createDirectories(root.resolve(name).getParent());
      }
    }
    for (int g = 0; g < GROUPS; g++) {
      List<String> names = names(g);
      byte[] data = new byte[(64 << 10) + r.nextInt(192 << 10)];
      r.nextBytes(data);
      Files.write(a.resolve(names.get(0)), data);
      Files.write(b.resolve(names.get(0)), new byte[data.length / 2]); // stale, as linked
      for (String other : names.subList(1, names.size())) {
        Files.createLink(a.resolve(other), a.resolve(names.get(0)));
        Files.createLink(b.resolve(other), b.resolve(names.get(0)));
      }
    }
    for (int d = 0; d < LoadWriter.DIRS; d += 3) {
      Files.createDirectories(b.resolve(LoadWriter.dir(d)));
      Files.copy(a.resolve(LoadWriter.file(d, 1)), b.resolve(LoadWriter.file(d, 1)));
    }
  }

  /**
   * The application writing the groups through the primary's mount, each write through one of its
   * file's names drawn at random: data at random places, now and then a cut.
   */
  private static LoadWriter groupWriter(Path root, long seed) {
    return new LoadWriter(
        "group-writer",
        seed,
        random -> {
          List<String> names = names(random.nextInt(GROUPS));
          Path name = root.resolve(names.get(random.nextInt(names.size())));
          try (FileChannel f = FileChannel.open(name, StandardOpenOption.WRITE)) {
            if (random.nextInt(16) == 0) {
              f.truncate(random.nextInt(256 << 10));
            } else {
              byte[] data = new byte[1 + random.nextInt(32 << 10)];
              random.nextBytes(data);
              f.write(ByteBuffer.wrap(data), random.nextInt(320 << 10));
            }
          }
        });
  }
}
