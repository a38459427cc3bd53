package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.fs.LocalTree;

/**
 * The secondary's appliers (spec B.7 {@code nbrei}: parallel reintegration threads): lane 0 and,
 * for a reintegration, {@code nbrei - 1} more. A change to one file's data or attributes goes to
 * the lane of its path, so that one file's changes apply in order and different files' in parallel;
 * anything else — a change of names, a flush, a listing, the end of the reintegration — is a
 * barrier: it runs on lane 0 once every task submitted before it on any lane is done, and every
 * task submitted after it waits for it. Every lane has its own {@link Applier} (its own open
 * files); a barrier closes the other lanes' files first, so that no handle writes to a name that
 * moved.
 *
 * <p>Tasks are submitted by one thread (the connection's event loop), in the order the primary
 * numbered the changes.
 */
final class ApplyLanes {
  /** A task for one lane, with that lane's applier. */
  interface Task {
    void run(Applier applier);

    /** Never run (the session ended): release what it holds. */
    default void discard() {}
  }

  private final ExecutorService[] executors;
  private final Applier[] appliers;

  // the submitting thread only: the last task of each lane but 0, the last barrier, and whether a
  // task went to a lane but 0 since
  private final List<CompletableFuture<Void>> tails = new ArrayList<>();
  private CompletableFuture<Void> lastBarrier = CompletableFuture.completedFuture(null);
  private boolean lanesBusy;

  private volatile boolean stopped;

  ApplyLanes(int lanes, List<LocalTree> trees, String module) {
    int n = Math.max(1, lanes);
    executors = new ExecutorService[n];
    appliers = new Applier[n];
    for (int i = 0; i < n; i++) {
      String name = "rfs-apply-" + module + (i == 0 ? "" : "-" + i);
      executors[i] =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
      appliers[i] = new Applier(trees);
      tails.add(CompletableFuture.completedFuture(null));
    }
  }

  int size() {
    return executors.length;
  }

  /** Lane 0's applier: barriers and tasks of no file (online verify) use it. */
  Applier first() {
    return appliers[0];
  }

  /**
   * The lane of a change to one file's data or attributes, or -1 for a barrier. Regular files are
   * created by barriers, so a copy's data may go to its own lane right after.
   */
  int laneOf(Change c) {
    if (executors.length == 1) {
      return -1;
    }
    boolean oneFile =
        c instanceof Change.Write
            || c instanceof Change.Truncate
            || c instanceof Change.Fallocate
            || c instanceof Change.Chmod
            || c instanceof Change.Chown
            || c instanceof Change.Times
            || c instanceof Change.SetXattr
            || c instanceof Change.RemoveXattr
            || c instanceof Change.KeepXattrs
            || c instanceof Change.Sync;
    if (!oneFile) {
      return -1;
    }
    int h = c.path().hashCode() * 31 + c.dir();
    return Math.floorMod(h ^ (h >>> 16), executors.length);
  }

  /**
   * Queues a task: on {@code lane} after the last barrier, or with -1 as a barrier.
   *
   * @throws java.util.concurrent.RejectedExecutionException once stopped
   */
  void submit(int lane, Task task) {
    if (executors.length == 1) {
      executors[0].execute(new Queued(task, 0, null, null));
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (lane < 0) {
      // with no task on the other lanes since the last barrier (the live stream), nothing to wait
      // for: lane 0's own queue orders it
      CompletableFuture<Void> before =
          lanesBusy
              ? CompletableFuture.allOf(
                  tails.subList(1, tails.size()).toArray(CompletableFuture[]::new))
              : null;
      executors[0].execute(new Queued(task, -1, before, done));
      lastBarrier = done;
      lanesBusy = false;
    } else if (lane == 0) {
      executors[0].execute(new Queued(task, 0, null, null)); // after any barrier: the same queue
    } else {
      executors[lane].execute(new Queued(task, lane, lastBarrier, done));
      tails.set(lane, done);
      lanesBusy = true;
    }
  }

  /** A task with what it waits for, and the future it completes when done or dropped. */
  private final class Queued implements Runnable {
    private final Task task;
    private final int lane;
    private final CompletableFuture<Void> after;
    private final CompletableFuture<Void> done;

    Queued(Task task, int lane, CompletableFuture<Void> after, CompletableFuture<Void> done) {
      this.task = task;
      this.lane = lane;
      this.after = after;
      this.done = done;
    }

    @Override
    public void run() {
      try {
        if (after != null) {
          after.join(); // every future completes: run or dropped (see stop)
        }
        if (stopped) {
          task.discard();
          return;
        }
        if (lane < 0) {
          for (int i = 1; i < appliers.length; i++) {
            appliers[i].closeAll(); // idle: the barrier waited for them
          }
          task.run(appliers[0]);
        } else {
          task.run(appliers[lane]);
        }
      } finally {
        if (done != null) {
          done.complete(null);
        }
      }
    }

    void drop() {
      try {
        task.discard();
      } finally {
        if (done != null) {
          done.complete(null);
        }
      }
    }
  }

  /**
   * No more tasks run; those not started are dropped (their data released). Then, off the caller's
   * thread, the appliers close their files once the tasks running are done.
   */
  void stop(ExecutorService closer) {
    stopped = true;
    for (ExecutorService e : executors) {
      for (Runnable never : e.shutdownNow()) {
        if (never instanceof Queued q) {
          q.drop();
        }
      }
    }
    closer.execute(
        () -> {
          boolean interrupted = false;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          for (int i = 0; i < executors.length; i++) {
            // an applier's files close only once its lane has stopped: never under a running task
            boolean stopped = false;
            while (!stopped && System.nanoTime() < deadline) {
              try {
                stopped =
                    executors[i].awaitTermination(
                        deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
              } catch (InterruptedException e) {
                interrupted = true; // the pool is shutting down: finish this first
              }
            }
            if (stopped) {
              appliers[i].close();
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        });
  }
}
