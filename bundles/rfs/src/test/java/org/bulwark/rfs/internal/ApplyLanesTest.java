package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    List<ApplyLanes.Task> tasks = new ArrayList<>();
    lanes.submit(
        1,
        applier -> {
          try {
            hold.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ran.incrementAndGet();
        });
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
    hold.countDown();
    closer.shutdown();
    assertTrue("the appliers closed", closer.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals("each task either ran or was dropped", 21, ran.get() + dropped.get());
  }
}
