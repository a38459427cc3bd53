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
 * numbered the changes. A lane's tasks are handed to its thread in batches: they wait in the lane's
 * batch until {@link #flush} (the end of the connection's read burst), a barrier, or {@link #BATCH}
 * of them — one hand-off and at most one wake-up of the lane's thread for all of them, rather than
 * one per change (a small file's copy is six changes). A batch runs its tasks in order; once the
 * lanes stop, what it did not run is discarded.
 */
final class ApplyLanes {
  /** A task for one lane, with that lane's applier. */
  interface Task {
    void run(Applier applier);

    /** Never run (the session ended): release what it holds. */
    default void discard() {}
  }

  /** The most tasks a lane's batch holds before it is handed to the lane's thread. */
  static final int BATCH = 64;

  private final ExecutorService[] executors;
  private final Applier[] appliers;

  // the submitting thread only: each lane's tasks not yet handed to its thread
  private final List<List<Task>> batches = new ArrayList<>();

  // the submitting thread only: the last task of each lane but 0, the last barrier, and whether a
  // task went to a lane but 0 since
  private final List<CompletableFuture<Void>> tails = new ArrayList<>();
  private CompletableFuture<Void> lastBarrier = CompletableFuture.completedFuture(null);
  private boolean lanesBusy;

  // the submitting thread only (hard links, see laneOf): the names a change of names of this
  // session gave another name's file, or moved such a file to
  private final java.util.Set<String> linkedNames = new java.util.HashSet<>();

  private volatile boolean stopped;

  /** Set by the first {@link #stop}: the later ones do nothing. */
  private final java.util.concurrent.atomic.AtomicBoolean stopping =
      new java.util.concurrent.atomic.AtomicBoolean();

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
      batches.add(new ArrayList<>());
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
   * The lane of a change to one file's data or attributes, or -1 for a barrier. A regular file's
   * creation goes to its path's lane too, with the copy of its data after it: it names only that
   * file, whose directory a barrier made before, and whatever names it later (a link, a rename) is
   * a barrier, which waits for it. On one lane, creating a pass's new files took longer than
   * copying their data (ext4 allocating each inode: docs/benchmarks.md, "Full synchronisation").
   *
   * <p>Lanes go by name, so a file with several names (hard links) would have its changes in
   * several lanes, in no order: the application writing through one name while another name's
   * change is applied left the secondary's copy stale (ReintegrationUnderLoadTest). A change to
   * such a file is a barrier. The primary marks them ({@code linked}, {@link Msg.Op#linked}): it
   * reads each file it copies, and stats it, under the file's lock. A pass makes the secondary's
   * names of a file the primary's as listed (Plan: a file whose names differ is removed first), so
   * a file the secondary holds under several names has them on the primary as it is read, and is
   * marked — or lost one meanwhile, and then only its first name has changes in this pass, and the
   * next pass compares the names again behind a listing, which waits for every lane. A name that a
   * change of names of this session gives a file ({@link Change.Link}, a {@link Change.Rename} of
   * such a name) is remembered here: its changes are barriers from then on, marked or not. The
   * secondary looks at no file of its own for this (docs/replication.md, "Parallel streams").
   */
  int laneOf(Change c, boolean linked) {
    if (executors.length == 1) {
      return -1;
    }
    if (c instanceof Change.Link l) {
      linkedNames.add(key(l.dir(), l.path()));
      linkedNames.add(key(l.dir(), l.target()));
      return -1;
    }
    if (c instanceof Change.Rename r) {
      if (linkedNames.contains(key(r.dir(), r.path()))
          || linkedNames.contains(key(r.dir(), r.target()))) {
        linkedNames.add(key(r.dir(), r.path()));
        linkedNames.add(key(r.dir(), r.target()));
      }
      return -1;
    }
    boolean oneFile = Change.ofOneFile(c) || c instanceof Change.Create;
    if (linked || !oneFile || linkedNames.contains(key(c.dir(), c.path()))) {
      return -1;
    }
    int h = c.path().hashCode() * 31 + c.dir();
    return Math.floorMod(h ^ (h >>> 16), executors.length);
  }

  private static String key(int dir, String path) {
    return dir + ":" + path;
  }

  /**
   * Queues a task: on {@code lane} after the last barrier, or with -1 as a barrier. A lane's task
   * waits in the lane's batch until {@link #flush}, the next barrier or a full batch.
   *
   * @throws java.util.concurrent.RejectedExecutionException once stopped
   */
  void submit(int lane, Task task) {
    if (executors.length == 1) {
      executors[0].execute(new Queued(task, 0, null, null));
      return;
    }
    if (stopped) {
      throw new java.util.concurrent.RejectedExecutionException("the lanes are stopped");
    }
    if (lane >= 0) {
      List<Task> batch = batches.get(lane);
      batch.add(task);
      if (batch.size() >= BATCH) {
        handOver(lane);
      }
      return;
    }
    flush(); // everything before the barrier is on its lane's queue: the barrier waits for it
    CompletableFuture<Void> done = new CompletableFuture<>();
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
  }

  /**
   * Hands every lane's batch to its thread (the submitting thread, at the end of a read burst).
   * Once stopped, the batches are discarded.
   */
  void flush() {
    for (int lane = 0; lane < batches.size(); lane++) {
      if (!batches.get(lane).isEmpty()) {
        handOver(lane);
      }
    }
  }

  private void handOver(int lane) {
    Batch batch = new Batch(List.copyOf(batches.get(lane)));
    batches.get(lane).clear();
    if (stopped) {
      batch.discard();
      return;
    }
    try {
      if (lane == 0) {
        executors[0].execute(new Queued(batch, 0, null, null)); // after any barrier: one queue
      } else {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executors[lane].execute(new Queued(batch, lane, lastBarrier, done));
        tails.set(lane, done);
        lanesBusy = true;
      }
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      batch.discard(); // stopped meanwhile
    }
  }

  /** A lane's tasks in the order submitted; what was not run when the lanes stop is discarded. */
  private final class Batch implements Task {
    private final List<Task> tasks;
    private int next; // the lane's thread only, once handed over

    Batch(List<Task> tasks) {
      this.tasks = tasks;
    }

    /**
     * Runs the tasks in order, each as if alone: one that throws does not keep the others from
     * running (its failure is rethrown at the end, as the lane's executor saw it before batches).
     */
    @Override
    public void run(Applier applier) {
      RuntimeException thrown = null;
      try {
        while (next < tasks.size() && !stopped) {
          try {
            tasks.get(next++).run(applier);
          } catch (RuntimeException e) {
            if (thrown == null) {
              thrown = e;
            } else {
              thrown.addSuppressed(e);
            }
          }
        }
      } finally {
        discard(); // stopped (the session ended): the rest never runs
      }
      if (thrown != null) {
        throw thrown;
      }
    }

    @Override
    public void discard() {
      while (next < tasks.size()) {
        tasks.get(next++).discard();
      }
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
    if (!stopping.compareAndSet(false, true)) {
      // the session ends by several paths (end, a failed reintegration, the replica's stop): one
      // closer only, else two would close the same appliers' files at once
      return;
    }
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
