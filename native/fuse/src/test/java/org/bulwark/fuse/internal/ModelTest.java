package org.bulwark.fuse.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.fs.MountOptions;
import org.junit.Rule;
import org.junit.Test;

/**
 * The randomized model test (fsx style, issue 6 Tests §1): several threads run random sequences of
 * every operation through the mount and, step by step, the same sequence on a plain directory;
 * every result (return values, errno, data read) and in the end the whole trees (contents, sizes,
 * modes, link counts, listings, xattrs) must match.
 *
 * <p>Each build runs {@link #SEEDS} seeds; a failure names its seed, which replays alone with
 * {@code mvn install -pl native/fuse -Dfuse.seed=<seed> -Dtest=ModelTest}.
 */
public class ModelTest {
  private static final int SEEDS = 12;
  private static final int THREADS = 4;
  private static final int STEPS = 400;

  @Rule public final TestDirs dirs = new TestDirs();
  private final java.util.concurrent.atomic.AtomicInteger succeeded =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger failed =
      new java.util.concurrent.atomic.AtomicInteger();

  @Test
  public void theMountBehavesLikeAPlainDirectory() throws Exception {
    Path mnt = dirs.newDir("model-mount");
    Path plain = dirs.newDir("model-plain");
    dirs.mount(mnt, MountOptions.defaults());
    String fixed = System.getProperty("fuse.seed", "");
    long first = fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
    Random seeds = new Random(first);
    int runs = fixed.isBlank() ? SEEDS : 1;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int i = 0; i < runs; i++) {
        long seed = i == 0 ? first : seeds.nextLong();
        System.out.println("ModelTest seed " + seed + " (replay: -Dfuse.seed=" + seed + ")");
        run(pool, seed, mnt.resolve("s" + i), plain.resolve("s" + i));
      }
      System.out.println(
          "ModelTest: " + succeeded + " operations succeeded, " + failed + " failed alike");
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  private void run(ExecutorService pool, long seed, Path mnt, Path plain) throws Exception {
    List<Future<?>> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Path m = Files.createDirectories(mnt.resolve("t" + t));
      Path p = Files.createDirectories(plain.resolve("t" + t));
      Random r = new Random(seed * 31 + t);
      int thread = t;
      threads.add(
          pool.submit(
              () -> {
                for (int step = 0; step < STEPS; step++) {
                  ModelOps.Op op = step % 60 == 0 ? ModelOps.CLEAN : ModelOps.next(r);
                  String viaMount = ModelOps.apply(m.toString(), op);
                  String direct = ModelOps.apply(p.toString(), op);
                  assertEquals(
                      "seed " + seed + " thread " + thread + " step " + step + " " + op,
                      direct,
                      viaMount);
                  (direct.contains("E") ? failed : succeeded).incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : threads) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof AssertionError a) {
          throw a;
        }
        throw e;
      }
    }
    compareTrees("seed " + seed, mnt.toString(), plain.toString(), "");
  }

  private static void compareTrees(String seed, String mnt, String plain, String rel) {
    String m = mnt + rel;
    String p = plain + rel;
    Sys.Stat pm = Sys.lstat(p);
    Sys.Stat mm = Sys.lstat(m);
    assertEquals(seed + " stat " + rel, ModelOps.describe(pm), ModelOps.describe(mm));
    int type = pm.mode() & 0170000;
    if (type == 0100000) {
      ModelOps.Op all = new ModelOps.Op(ModelOps.Kind.READ, "", null, 0, 0, (int) pm.size(), 0);
      assertEquals(seed + " content " + rel, read(p, all), read(m, all));
    }
    if (type == 0120000 || type == 0100000 || type == 0040000) {
      for (ModelOps.Kind k : List.of(ModelOps.Kind.READLINK, ModelOps.Kind.GETXATTR)) {
        for (int f = 0; f < 2; f++) {
          ModelOps.Op op = new ModelOps.Op(k, "", null, f, 0, 0, 0);
          assertEquals(seed + " " + k + " " + rel, apply(p, op), apply(m, op));
        }
      }
    }
    if (type == 0040000) {
      String[] pn = new java.io.File(p).list();
      String[] mn = new java.io.File(m).list();
      Arrays.sort(pn);
      Arrays.sort(mn);
      assertEquals(seed + " listing " + rel, Arrays.asList(pn), Arrays.asList(mn));
      for (String name : pn) {
        compareTrees(seed, mnt, plain, rel + "/" + name);
      }
    }
  }

  /** Applies {@code op} to the exact path {@code path} (its {@code a} is empty). */
  private static String apply(String path, ModelOps.Op op) {
    String parent = path.substring(0, path.lastIndexOf('/'));
    String name = path.substring(path.lastIndexOf('/') + 1);
    return ModelOps.apply(
        parent, new ModelOps.Op(op.kind(), name, null, op.flags(), op.offset(), op.length(), 0));
  }

  private static String read(String path, ModelOps.Op op) {
    return apply(path, op);
  }
}
