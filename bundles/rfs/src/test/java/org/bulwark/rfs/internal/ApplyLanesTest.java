package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/**
 * The secondary's lanes keep the primary's order where it matters: one lane's tasks in turn, a
 * barrier after everything submitted before it and before everything submitted after it; tasks of
 * different lanes overlap.
 */
public class ApplyLanesTest {
  private static final int TASKS = 3_000;

  private record Span(int index, int lane, long start, long end) {}

  @Test
  public void barriersAndLanesKeepTheOrder() throws Exception {
    long seed = Long.getLong("rfs.seed", System.nanoTime());
    System.out.println("ApplyLanesTest seed " + seed);
    Random random = new Random(seed);
    ApplyLanes lanes = new ApplyLanes(4, List.of(), "test");
    AtomicLong clock = new AtomicLong();
    Span[] spans = new Span[TASKS];
    int[] laneOf = new int[TASKS];
    CountDownLatch done = new CountDownLatch(TASKS);
    for (int i = 0; i < TASKS; i++) {
      int index = i;
      int lane = random.nextInt(10) == 0 ? -1 : random.nextInt(4);
      laneOf[i] = lane;
      int spin = random.nextInt(2000);
      if (random.nextInt(20) == 0) {
        lanes.flush(); // the end of a read burst
      }
      lanes.submit(
          lane,
          applier -> {
            long start = clock.incrementAndGet();
            long x = 0;
            for (int s = 0; s < spin; s++) {
              x += s * 31L;
            }
            spans[index] =
                new Span(index, lane + (x == -1 ? 1 : 0), start, clock.incrementAndGet());
            done.countDown();
          });
    }
    lanes.flush();
    assertTrue("every task ran", done.await(60, TimeUnit.SECONDS));
    for (int i = 0; i < TASKS; i++) {
      for (int j = i + 1; j < TASKS; j++) {
        boolean ordered = laneOf[i] < 0 || laneOf[j] < 0 || laneOf[i] == laneOf[j];
        if (ordered) {
          assertTrue(
              "seed "
                  + seed
                  + ": task "
                  + i
                  + " (lane "
                  + laneOf[i]
                  + ") ends before task "
                  + j
                  + " (lane "
                  + laneOf[j]
                  + ") starts",
              spans[i].end() < spans[j].start());
        }
      }
    }
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void stoppingDropsWhatDidNotRunAndReleasesTheWaiters() throws Exception {
    ApplyLanes lanes = new ApplyLanes(3, List.of(), "test");
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    List<ApplyLanes.Task> tasks = new ArrayList<>();
    lanes.submit(
        1,
        applier -> {
          try {
            holding.countDown();
            hold.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ran.incrementAndGet();
        });
    lanes.flush();
    // running (it has no discard to count): the rest queues behind it
    assertTrue(holding.await(30, TimeUnit.SECONDS));
    for (int i = 0; i < 20; i++) {
      ApplyLanes.Task t =
          new ApplyLanes.Task() {
            @Override
            public void run(Applier applier) {
              ran.incrementAndGet();
            }

            @Override
            public void discard() {
              dropped.incrementAndGet();
            }
          };
      tasks.add(t);
      lanes.submit(i % 4 == 0 ? -1 : i % 3, t);
    }
    ExecutorService closer = Executors.newSingleThreadExecutor();
    lanes.stop(closer);
    lanes.flush(); // the batches not handed over: dropped
    hold.countDown();
    closer.shutdown();
    assertTrue("the appliers closed", closer.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals("each task either ran or was dropped", 21, ran.get() + dropped.get());
  }

  @Test
  public void aFileWithSeveralNamesIsChangedByBarriersOnly() throws Exception {
    // lanes go by name: two names of one file in two lanes would apply its changes in no order.
    // The primary marks the changes of a file it read with several names; the secondary looks at
    // none of its files (no tree here: a stat would find nothing)
    ApplyLanes lanes = new ApplyLanes(6, List.of(), "test");
    assertEquals(-1, lanes.laneOf(new Change.Chmod(0, "a", 0600), true));
    assertEquals(-1, lanes.laneOf(new Change.Write(0, "b", 0, new byte[] {1}, 0), true));
    assertEquals(-1, lanes.laneOf(new Change.Truncate(0, "b", 1, 0), true));
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (int i = 0; i < 8; i++) {
      used.add(lanes.laneOf(new Change.Chmod(0, "single" + i, 0600), false));
    }
    assertTrue("files with one name go to lanes: " + used, !used.contains(-1));
    // the mark is the change's own: the same name unmarked (its other name gone meanwhile on the
    // primary) goes to its lane, after the marked ones (barriers) as after any barrier
    int lane = lanes.laneOf(new Change.Chmod(0, "a", 0600), false);
    assertTrue(lane >= 0);
    // changes of names are barriers, marked or not
    assertEquals(-1, lanes.laneOf(new Change.Mkdir(0, "d", 0755, 0, 0), false));
    // given another name during the session, before the link is applied: a barrier from then on,
    // whatever the primary read
    assertTrue(lanes.laneOf(new Change.Chmod(0, "single0", 0600), false) >= 0);
    assertEquals(-1, lanes.laneOf(new Change.Link(0, "single0", "c"), false));
    assertEquals(-1, lanes.laneOf(new Change.Chmod(0, "single0", 0600), false));
    assertEquals(-1, lanes.laneOf(new Change.Chmod(0, "c", 0600), false));
    // a name that such a file is renamed to shares it too; a file of one name renamed keeps lanes
    assertEquals(-1, lanes.laneOf(new Change.Rename(0, "c", "moved", 0), false));
    assertEquals(-1, lanes.laneOf(new Change.Chmod(0, "moved", 0600), false));
    assertEquals(-1, lanes.laneOf(new Change.Rename(0, "single1", "alone", 0), false));
    assertTrue(lanes.laneOf(new Change.Chmod(0, "alone", 0600), false) >= 0);
    assertTrue(lanes.laneOf(new Change.Chmod(0, "single2", 0600), false) >= 0);
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void theMarkedChangesOfTwoNamesApplyInTheStreamsOrder() throws Exception {
    // two names of one file whose lanes differ: marked, each waits for the one before it
    ApplyLanes lanes = new ApplyLanes(6, List.of(), "test");
    String one = "one";
    String other = "other";
    for (int i = 0;
        lanes.laneOf(new Change.Chmod(0, other, 0600), false)
            == lanes.laneOf(new Change.Chmod(0, one, 0600), false);
        i++) {
      other = "other" + i;
    }
    long seed = Long.getLong("rfs.seed", System.nanoTime());
    System.out.println("ApplyLanesTest seed " + seed);
    Random random = new Random(seed);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(200);
    for (int i = 0; i < 200; i++) {
      String name = random.nextBoolean() ? one : other;
      int spin = random.nextInt(5000);
      long[] sink = new long[1];
      lanes.submit(
          lanes.laneOf(new Change.Write(0, name, i, new byte[] {1}, 0), true),
          recording(
              i,
              ran,
              new CopyOnWriteArrayList<>(),
              done,
              () -> {
                for (int s = 0; s < spin; s++) {
                  sink[0] += s;
                }
              }));
      if (random.nextInt(8) == 0) {
        lanes.flush();
      }
    }
    lanes.flush();
    assertTrue(done.await(30, TimeUnit.SECONDS));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      order.add(i);
    }
    assertEquals("seed " + seed + ": in the stream's order", order, ran);
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void aNewFileIsCreatedOnTheLaneOfItsData() throws Exception {
    // one lane creating every new file of a pass took longer than copying their data
    ApplyLanes lanes = new ApplyLanes(6, List.of(), "test");
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (int i = 0; i < 32; i++) {
      String path = "/d/new" + i;
      int lane = lanes.laneOf(new Change.Create(0, path, 0644, 0, 0, false), false);
      assertTrue(path + " created by a barrier", lane >= 0);
      assertEquals(lane, lanes.laneOf(new Change.Write(0, path, 0, new byte[1], 0), false));
      assertEquals(lane, lanes.laneOf(new Change.Times(0, path, 0, 0), false));
      used.add(lane);
    }
    assertTrue("the creations spread over the lanes: " + used, used.size() > 1);
    // what names directories, links and other nodes stays a barrier, and so does every change of
    // a name a link gave another file, its creation included
    assertEquals(-1, lanes.laneOf(new Change.Mkdir(0, "/d", 0755, 0, 0), false));
    assertEquals(-1, lanes.laneOf(new Change.Symlink(0, "/s", "t", 0, 0), false));
    assertEquals(-1, lanes.laneOf(new Change.Link(0, "/d/new0", "/d/other"), false));
    assertEquals(-1, lanes.laneOf(new Change.Write(0, "/d/new0", 0, new byte[1], 0), false));
    assertEquals(-1, lanes.laneOf(new Change.Create(0, "/d/other", 0644, 0, 0, true), false));
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void stoppingAgainSchedulesNoSecondClose() throws Exception {
    // a session ends by several paths at once; two closers would close one applier's files
    // together (a ConcurrentModificationException in Applier.closeAll, seen in a build)
    ApplyLanes lanes = new ApplyLanes(3, List.of(), "test");
    AtomicInteger closers = new AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor counting =
        new java.util.concurrent.ThreadPoolExecutor(
            0, 4, 1, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>()) {
          @Override
          public void execute(Runnable command) {
            closers.incrementAndGet();
            super.execute(command);
          }
        };
    Thread[] stoppers = new Thread[4];
    for (int i = 0; i < stoppers.length; i++) {
      stoppers[i] = new Thread(() -> lanes.stop(counting));
      stoppers[i].start();
    }
    for (Thread t : stoppers) {
      t.join(30_000);
    }
    counting.shutdown();
    assertTrue("the appliers closed", counting.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals("one closer for four stops", 1, closers.get());
  }

  /** A task that records its index when run or when discarded, and counts either down. */
  private static ApplyLanes.Task recording(
      int index,
      List<Integer> ran,
      List<Integer> dropped,
      CountDownLatch settled,
      Runnable during) {
    return new ApplyLanes.Task() {
      @Override
      public void run(Applier applier) {
        try {
          during.run();
          ran.add(index);
        } finally {
          settled.countDown();
        }
      }

      @Override
      public void discard() {
        dropped.add(index);
        settled.countDown();
      }
    };
  }

  @Test
  public void aLanesTasksWaitForTheEndOfTheReadBurstThenRunInOrderOnOneThread() throws Exception {
    ApplyLanes lanes = new ApplyLanes(3, List.of(), "test");
    List<Integer> ran = new CopyOnWriteArrayList<>();
    List<Integer> dropped = new CopyOnWriteArrayList<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch done = new CountDownLatch(10);
    for (int i = 0; i < 10; i++) {
      lanes.submit(
          2, recording(i, ran, dropped, done, () -> threads.add(Thread.currentThread().getName())));
    }
    // nothing was handed to a thread: no thread can have run them, whatever the timing
    assertEquals("nothing handed over before the burst ends", 10, done.getCount());
    lanes.flush();
    assertTrue("the batch ran", done.await(30, TimeUnit.SECONDS));
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ran);
    assertEquals(List.of(), dropped);
    assertEquals("one lane's thread", Set.of("rfs-apply-test-2"), threads);
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void aFullBatchIsHandedOverWithoutWaitingForTheBurstsEnd() throws Exception {
    ApplyLanes lanes = new ApplyLanes(2, List.of(), "test");
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch first = new CountDownLatch(ApplyLanes.BATCH);
    CountDownLatch all = new CountDownLatch(ApplyLanes.BATCH + 3);
    for (int i = 0; i < ApplyLanes.BATCH + 3; i++) {
      lanes.submit(1, recording(i, ran, new CopyOnWriteArrayList<>(), all, first::countDown));
    }
    assertTrue("the full batch ran, with no flush", first.await(30, TimeUnit.SECONDS));
    CountDownLatch barrier = new CountDownLatch(1);
    lanes.submit(
        -1,
        applier -> {
          assertEquals("the barrier after every task before it", 0, all.getCount());
          barrier.countDown();
        }); // hands the rest over first
    assertTrue(barrier.await(30, TimeUnit.SECONDS));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ApplyLanes.BATCH + 3; i++) {
      order.add(i);
    }
    assertEquals("in order", order, ran);
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void aTaskThatThrowsMidBatchDoesNotKeepTheOthersFromRunning() throws Exception {
    ApplyLanes lanes = new ApplyLanes(2, List.of(), "test");
    List<Integer> ran = new CopyOnWriteArrayList<>();
    List<Integer> dropped = new CopyOnWriteArrayList<>();
    CountDownLatch settled = new CountDownLatch(8);
    for (int i = 0; i < 8; i++) {
      Runnable during =
          i == 3
              ? () -> {
                throw new IllegalStateException("thrown by the test");
              }
              : () -> {};
      lanes.submit(1, recording(i, ran, dropped, settled, during));
    }
    lanes.flush();
    assertTrue(settled.await(30, TimeUnit.SECONDS));
    assertEquals("each alone, as before batches", List.of(0, 1, 2, 4, 5, 6, 7), ran);
    assertEquals(List.of(), dropped);
    lanes.stop(Executors.newSingleThreadExecutor());
  }

  @Test
  public void aTaskFailingMidBatchStopsTheLanesAndTheRestOfTheBatchIsDiscarded() throws Exception {
    ApplyLanes lanes = new ApplyLanes(2, List.of(), "test");
    ExecutorService closer = Executors.newSingleThreadExecutor();
    List<Integer> ran = new CopyOnWriteArrayList<>();
    List<Integer> dropped = new CopyOnWriteArrayList<>();
    CountDownLatch settled = new CountDownLatch(12);
    for (int i = 0; i < 12; i++) {
      // the secondary's failure to apply (SecondaryHandler.fail): the session ends, lanes stop
      Runnable during = i == 5 ? () -> lanes.stop(closer) : () -> {};
      lanes.submit(1, recording(i, ran, dropped, settled, during));
    }
    lanes.flush();
    assertTrue("every task ran or was dropped", settled.await(30, TimeUnit.SECONDS));
    assertEquals("run in order up to the failing one", List.of(0, 1, 2, 3, 4, 5), ran);
    assertEquals("the rest discarded, once each", List.of(6, 7, 8, 9, 10, 11), dropped);
    try {
      lanes.submit(1, recording(99, ran, dropped, new CountDownLatch(1), () -> {}));
      org.junit.Assert.fail("a stopped lane refuses tasks");
    } catch (RejectedExecutionException expected) {
      // the caller discards it
    }
    closer.shutdown();
    assertTrue("the appliers closed", closer.awaitTermination(30, TimeUnit.SECONDS));
  }
}
