package org.bulwark.rfs.internal;

import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Reintegration while the application writes (spec C.4): the primary holds a tree of a few hundred
 * files and a few MiB, the secondary a stale, partly different copy; an application rewrites,
 * renames and deletes through the primary's mount without pause while the secondary connects and is
 * reintegrated (passes while the writes go on, then the barrier), and goes on writing once the
 * replication is synchronous. When it stops, a durability barrier later, both trees are the same.
 * Then the secondary stops, the application writes on alone, the secondary comes back and is
 * reintegrated again under the same load, with the same outcome.
 *
 * <p>The tree and the writes derive from a seed, printed; replay with {@code -Drfs.seed=<seed>}.
 */
public class ReintegrationUnderLoadTest {
  private static final long REINTEGRATION_MILLIS = 60_000;
  private static final long CALLS_MILLIS = 30_000;

  /**
   * What the application does by default: everything but what reintegration does not yet survive
   * under load — attributes changed while it runs (a chmod or a rename over a file leaves the
   * secondary's copy with an extended attribute the primary's has not, or with other data under the
   * same size and time) and names changing type (a file replaced by a symbolic link makes the pass
   * fail and start again). {@code -Drfs.load.calls=all} (or a list of {@link LoadWriter.Call}s)
   * tries more.
   */
  private static final Set<LoadWriter.Call> CALLS =
      EnumSet.of(
          LoadWriter.Call.WRITE,
          LoadWriter.Call.APPEND,
          LoadWriter.Call.CREATE,
          LoadWriter.Call.TRUNCATE,
          LoadWriter.Call.RENAME,
          LoadWriter.Call.UNLINK,
          LoadWriter.Call.LINK,
          LoadWriter.Call.RENAME_DIR,
          LoadWriter.Call.MKDIR);

  private static Set<LoadWriter.Call> calls() {
    String asked = System.getProperty("rfs.load.calls", "").trim();
    if (asked.isEmpty()) {
      return CALLS;
    }
    if (asked.equals("all")) {
      return EnumSet.allOf(LoadWriter.Call.class);
    }
    Set<LoadWriter.Call> out = EnumSet.noneOf(LoadWriter.Call.class);
    for (String c : asked.split(",")) {
      out.add(LoadWriter.Call.valueOf(c.trim().toUpperCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void bothReintegrationsEndWithTheSameTreesWhileTheApplicationWrites() throws Exception {
    run();
  }

  /** {@code nbremconn="3"}: the copies and the application's changes over three connections. */
  @Test
  public void overThreeConnections() throws Exception {
    pair.rfs = TestRfs.withConnections(pair.rfs, 3);
    run();
  }

  private void run() throws Exception {
    String fixed = System.getProperty("rfs.seed", "").trim();
    long seed = fixed.isEmpty() ? new Random().nextLong() : Long.parseLong(fixed);
    System.out.println(
        "ReintegrationUnderLoadTest seed "
            + seed
            + " (replay: -Dtest=ReintegrationUnderLoadTest -Drfs.seed="
            + seed
            + ")");
    Set<LoadWriter.Call> calls = calls();
    System.out.println("ReintegrationUnderLoadTest: the application calls " + calls);
    Random r = new Random(seed);
    Path a = pair.a.get(0);
    Path b = pair.b.get(0);
    long bytes = fill(a, r);
    stale(a, b, r);
    System.out.println("ReintegrationUnderLoadTest: the primary holds " + bytes + " bytes");
    pair.open();
    pair.node1.startPrimary(false);

    try (LoadWriter w = new LoadWriter(a, seed, calls).start()) {
      w.awaitCalls(0, 200, CALLS_MILLIS);
      reintegrate(w, "first");
    }
    pair.barrier();
    pair.assertStillSynchronous("seed " + seed + " after the first reintegration");
    pair.assertSameTrees("seed " + seed + " after the first reintegration");

    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), REINTEGRATION_MILLIS);
    pair.one.clear();
    pair.two.clear();
    try (LoadWriter w = new LoadWriter(a, seed + 1, calls).start()) {
      w.awaitCalls(0, 300, CALLS_MILLIS); // alone: what changes is only tracked
      reintegrate(w, "second");
    }
    pair.barrier();
    pair.assertStillSynchronous("seed " + seed + " after the second reintegration");
    pair.assertSameTrees("seed " + seed + " after the second reintegration");
  }

  /** Starts the secondary under load; the load goes on past the end of its reintegration. */
  private void reintegrate(LoadWriter w, String which) throws Exception {
    Pair.UnderLoad during = pair.reintegrateUnderLoad(which, w, REINTEGRATION_MILLIS);
    w.awaitCalls(w.calls(), 200, CALLS_MILLIS); // synchronous replication under the same load
    System.out.printf(
        "ReintegrationUnderLoadTest: %s reintegration in %d ms, %d application calls during it%n",
        which, during.millis(), during.calls());
    assertTrue(which + ": the application wrote during the reintegration", during.calls() > 0);
  }

  /** The primary's tree, written before its mount: files of all sizes, a sparse one, links. */
  private static long fill(Path a, Random r) throws Exception {
    long bytes = 0;
    for (int d = 0; d < LoadWriter.DIRS; d++) {
      Files.createDirectories(a.resolve(LoadWriter.dir(d)));
      for (int f = 0; f < LoadWriter.FILES / 2; f++) {
        byte[] data = new byte[r.nextInt(20) == 0 ? r.nextInt(512 << 10) : r.nextInt(16 << 10)];
        r.nextBytes(data);
        Files.write(a.resolve(LoadWriter.file(d, f)), data);
        bytes += data.length;
      }
    }
    try (RandomAccessFile sparse = new RandomAccessFile(a.resolve("sparse").toFile(), "rw")) {
      sparse.write("head".getBytes(StandardCharsets.UTF_8));
      sparse.seek(24L << 20);
      sparse.write("tail".getBytes(StandardCharsets.UTF_8));
    }
    Files.createLink(a.resolve("data/d01/hard"), a.resolve(LoadWriter.file(0, 0)));
    Files.createSymbolicLink(a.resolve("data/link"), Path.of("d02/f001"));
    Files.createDirectories(a.resolve("meta"));
    Files.writeString(a.resolve("meta/tagged"), "tagged");
    Files.getFileAttributeView(a.resolve("meta/tagged"), UserDefinedFileAttributeView.class)
        .write("origin", ByteBuffer.wrap("primary".getBytes(StandardCharsets.UTF_8)));
    return bytes;
  }

  /** The secondary's stale copy: some files the same, some older or cut, some extra, a clash. */
  private static void stale(Path a, Path b, Random r) throws Exception {
    for (int d = 0; d < LoadWriter.DIRS; d += 2) {
      Files.createDirectories(b.resolve(LoadWriter.dir(d)));
      for (int f = 0; f < LoadWriter.FILES / 2; f += 1 + r.nextInt(2)) {
        Path from = a.resolve(LoadWriter.file(d, f));
        Path to = b.resolve(LoadWriter.file(d, f));
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        if (r.nextInt(4) == 0) {
          try (RandomAccessFile cut = new RandomAccessFile(to.toFile(), "rw")) {
            cut.setLength(cut.length() / 2);
          }
        }
      }
    }
    Files.createDirectories(b.resolve("data/d01/hard/deep")); // a directory where a file is
    Files.writeString(b.resolve("data/only-here"), "stale");
    Files.createDirectories(b.resolve("old/deeper"));
  }
}
