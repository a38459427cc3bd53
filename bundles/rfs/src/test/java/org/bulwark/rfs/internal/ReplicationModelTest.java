package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * The replication model test (fsx style; spec B.7, C.4): {@link #THREADS} threads run random
 * sequences of every operation ({@link FsOps}) through the primary's mount while the secondary
 * follows synchronously. Each thread works mostly in a subtree of its own, where an in-memory model
 * ({@link FsModel}) says what every call must do and what the subtree must hold; now and then in a
 * subtree all threads share, where only the two nodes' agreement is checked. After each seed a
 * durability barrier (an fsync through the mount) makes sure the secondary applied everything; then
 * both trees must be the same byte for byte with their metadata, each private subtree the model's,
 * and the session must never have broken.
 *
 * <p>Each seed runs twice: its threads at once, then one step at a time in an order the seed draws
 * (the same calls, interleaved by the seed instead of the scheduler). A failure names its seed and
 * mode and replays alone with {@code mvn -pl bundles/rfs test -Dtest=ReplicationModelTest
 * -Drfs.seed=<seed> -Drfs.model.serial=<true|false>}: the serial run replays its interleaving
 * exactly, the concurrent one its calls (the scheduler still chooses their order).
 */
public class ReplicationModelTest {
  private static final int SEEDS = 4;
  private static final int THREADS = 4;
  private static final int STEPS = 250;
  private static final int CLEAN_EVERY = 90;
  private static final long SEED_DEADLINE_SECONDS = 60;

  /**
   * Every kind but a write to an open file after its unlink, and in the shared subtree writes
   * through a descriptor go to files that no other call unlinks or renames over: such a write
   * reaches the driver with no path, and when the file keeps another name the replication ends the
   * session and reintegrates the secondary (ReplicationRegressionTest), which this test, asking
   * that the session never break, would count as a failure. {@code -Drfs.model.all=true} lifts
   * both.
   */
  private static final Set<FsOps.Kind> KINDS =
      EnumSet.complementOf(EnumSet.of(FsOps.Kind.UNLINK_OPEN));

  private static final Set<FsOps.Kind> ALL = EnumSet.allOf(FsOps.Kind.class);

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  // per kind of operation: calls that succeeded, calls that failed (as the model said)
  private final Map<FsOps.Kind, int[]> outcomes = new EnumMap<>(FsOps.Kind.class);
  private final AtomicInteger sharedCalls = new AtomicInteger();

  @Test
  public void asyncSecond() throws Exception {
    run(Rfs.Async.SECOND);
  }

  @Test
  public void asyncNone() throws Exception {
    run(Rfs.Async.NONE);
  }

  /** {@code nbremconn="3"}: the changes spread over three connections, applied in order. */
  @Test
  public void threeConnections() throws Exception {
    pair.async(Rfs.Async.SECOND);
    pair.rfs = TestRfs.withConnections(pair.rfs, 3);
    run(null);
    pair.assertEveryConnectionCarried("three connections");
  }

  /** {@code async} null: the pair as configured. */
  private void run(Rfs.Async async) throws Exception {
    if (async != null) {
      pair.async(async);
    }
    pair.open();
    pair.start();
    String fixed = System.getProperty("rfs.seed", "").trim();
    long first = fixed.isEmpty() ? new Random().nextLong() : Long.parseLong(fixed);
    Random seeds = new Random(first);
    int runs = fixed.isEmpty() ? Integer.getInteger("rfs.seeds", SEEDS) : 1;
    String mode = System.getProperty("rfs.model.serial", "").trim();
    List<Boolean> modes =
        mode.isEmpty() ? List.of(false, true) : List.of(Boolean.parseBoolean(mode));
    int umask = Posix.umask();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    int sub = 0;
    try {
      for (int i = 0; i < runs; i++) {
        long seed = i == 0 ? first : seeds.nextLong();
        for (boolean serial : modes) {
          String name =
              "ReplicationModelTest "
                  + variant(async)
                  + " seed "
                  + seed
                  + (serial ? " serial" : "");
          System.out.println(
              name
                  + " (replay: -Dtest=ReplicationModelTest -Drfs.seed="
                  + seed
                  + " -Drfs.model.serial="
                  + serial
                  + ")");
          runSeed(serial ? null : pool, name, seed, "/s" + sub++, umask);
        }
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    System.out.printf(
        "ReplicationModelTest %s: %d seeds (%s) in %d ms; calls succeeded/failed as the"
            + " model said: %s; %d calls in the shared subtree%n",
        variant(async),
        runs,
        modes.size() == 2 ? "concurrent and serial" : modes.get(0) ? "serial" : "concurrent",
        (System.nanoTime() - start) / 1_000_000,
        outcomes(),
        sharedCalls.get());
  }

  /**
   * One seed: with a pool, each walker on a thread of its own; without (serial), one step of a
   * walker the seed draws at a time, on this thread, until all are done.
   */
  private void runSeed(ExecutorService pool, String name, long seed, String sub, int umask)
      throws Exception {
    Path mount = pair.a.get(0);
    Path shared = Files.createDirectories(mount.resolve(sub.substring(1) + "/shared"));
    List<Walker> walkers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Path own = Files.createDirectories(mount.resolve(sub.substring(1) + "/t" + t));
      FsOps.clean(own);
      walkers.add(new Walker(name + " thread " + t, new Random(seed * 31 + t), own, shared, umask));
    }
    if (pool == null) {
      Random order = new Random(seed);
      List<Walker> left = new ArrayList<>(walkers);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SEED_DEADLINE_SECONDS);
      while (!left.isEmpty()) {
        Walker w = left.get(order.nextInt(left.size()));
        if (!w.step()) {
          left.remove(w);
        }
        assertTrue(
            name + ": not done in " + SEED_DEADLINE_SECONDS + " s", System.nanoTime() < deadline);
      }
    } else {
      List<Future<?>> threads = new ArrayList<>();
      for (Walker w : walkers) {
        threads.add(
            pool.submit(
                () -> {
                  while (w.step()) {
                    // one walker's steps, in its order
                  }
                  return null;
                }));
      }
      for (Future<?> f : threads) {
        try {
          f.get(SEED_DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof AssertionError a) {
            throw a;
          }
          throw e;
        }
      }
    }
    pair.barrier();
    pair.settleTimes(); // times are compared once carried: at a flush (docs/replication.md)
    pair.assertStillSynchronous(name);
    Map<String, String> primary = Trees.describe(mount);
    assertEquals(name + ": secondary", "", Trees.diff(primary, Trees.describe(pair.b.get(0)), 20));
    Map<String, String> withoutTimes = Trees.withoutTimes(primary);
    for (int t = 0; t < THREADS; t++) {
      String root = sub + "/t" + t;
      assertEquals(
          name + ": thread " + t + "'s subtree against the model",
          "",
          Trees.diff(walkers.get(t).model.describe(root), FsModel.beneath(withoutTimes, root), 20));
    }
  }

  private String variant(Rfs.Async async) {
    return async != null
        ? "async=" + async
        : "async=" + pair.rfs.async() + " nbremconn=" + pair.rfs.nbremconn();
  }

  private String outcomes() {
    StringBuilder b = new StringBuilder();
    synchronized (outcomes) {
      outcomes.forEach(
          (k, n) -> b.append(k).append(' ').append(n[0]).append('/').append(n[1]).append(' '));
    }
    return b.toString().trim();
  }

  /** One thread's random sequence, a step at a time: its own subtree, its model, its random. */
  private final class Walker {
    final String who;
    final Random r;
    final Path own;
    final Path shared;
    final FsModel model;
    final boolean all = Boolean.getBoolean("rfs.model.all");
    int step;

    Walker(String who, Random r, Path own, Path shared, int umask) {
      this.who = who;
      this.r = r;
      this.own = own;
      this.shared = shared;
      this.model = new FsModel(umask);
    }

    /** The next step; false once all are done. */
    boolean step() throws Exception {
      if (step == STEPS) {
        return false;
      }
      int step = this.step++;
      if (step > 0 && step % CLEAN_EVERY == 0) {
        FsOps.clean(own);
        model.clean();
        return true;
      }
      FsOps.Op op = FsOps.next(r, all ? ALL : KINDS);
      if (r.nextInt(5) == 0) {
        if (op.throughDescriptor() && !all) {
          // files of their own, that no other call removes or renames while one writes to them
          // and no O_APPEND: an append racing an O_TRUNC open of the same file lands elsewhere
          // than the offset the interceptor is told (O_APPEND is left on the real descriptor)
          op = op.on("w" + r.nextInt(3)).withoutAppend();
        }
        FsOps.apply(shared.toString(), op); // any outcome: only both nodes' agreement counts
        sharedCalls.incrementAndGet();
        return true;
      }
      Boolean expected = model.expect(op);
      if (expected == null) {
        return true;
      }
      int errno = FsOps.apply(own.toString(), op);
      if (expected != (errno == 0)) {
        throw new AssertionError(
            who
                + " step "
                + step
                + " "
                + op
                + ": "
                + (errno == 0 ? "succeeded" : "failed with errno " + errno)
                + ", the model expected "
                + (expected ? "success" : "a failure")
                + "; model names "
                + model.names());
      }
      if (errno == 0) {
        model.apply(op);
      }
      synchronized (outcomes) {
        outcomes.computeIfAbsent(op.kind(), k -> new int[2])[errno == 0 ? 0 : 1]++;
      }
      return true;
    }
  }
}
