package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The primary's reintegration streams (spec B.7 {@code nbrei}, parallel reintegration threads): the
 * copies and attributes of one pass, each file read and queued whole by one of {@code nbrei}
 * threads, several files at once. Each thread takes the next step when it is done with one, so a
 * large file does not hold back the small ones behind it. The first failure stops every stream and
 * ends the pass with it: the session ends, and the next reintegration redoes what was not copied
 * (its zones are still recorded).
 *
 * <p>As many threads as configured, not capped at the processors: the threads likely wait on the
 * disk (opening, reading and creating small files) more than they compute, and on 2 loaded vCPUs
 * two streams took 1.17–2.13× the time of six on 20,000 small files (docs/benchmarks.md, "Batches
 * of a lane's changes").
 */
final class CopyStreams implements AutoCloseable {
  /** One step of a pass (or a few, in order), run on a stream. */
  interface StepAction<T> {
    void run(T step) throws IOException;
  }

  private final ExecutorService threads;
  private final int streams;

  CopyStreams(int streams, String module) {
    this.streams = streams;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            streams,
            r -> {
              Thread t = new Thread(r, "rfs-rei-" + module + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs every step on the streams; returns once all are done, or throws the first failure. Half of
   * the streams take the steps from the first on, the others from the last back: given the largest
   * files first, the large files' data goes while the small files are created (on the secondary,
   * ext4 allocating an inode took up to a millisecond, one at a time in a directory:
   * docs/benchmarks.md, "Full synchronisation"), and no large file starts last.
   */
  <T> void run(List<T> steps, StepAction<T> action) throws IOException {
    if (steps.isEmpty()) {
      return;
    }
    int[] ends = {0, steps.size()}; // the next from the first, the one after the next from the last
    AtomicReference<Throwable> failed = new AtomicReference<>();
    int workers = Math.min(streams, steps.size());
    Future<?>[] running = new Future<?>[workers];
    for (int w = 0; w < workers; w++) {
      boolean fromLast = w % 2 == 1;
      running[w] =
          threads.submit(
              () -> {
                for (int i = take(ends, fromLast);
                    i >= 0 && failed.get() == null;
                    i = take(ends, fromLast)) {
                  try {
                    action.run(steps.get(i));
                  } catch (IOException | RuntimeException | Error e) {
                    failed.compareAndSet(null, e);
                  }
                }
              });
    }
    boolean interrupted = false;
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the streams stop at their next step once one failed
          failed.compareAndSet(null, new IOException("interrupted"));
        } catch (java.util.concurrent.ExecutionException e) {
          failed.compareAndSet(null, e.getCause());
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failed.get();
    if (t instanceof IOException io) {
      throw io;
    } else if (t instanceof RuntimeException r) {
      throw r;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new IOException(t);
    }
  }

  /** The index of the next step from one end, or -1 when none is left. */
  private static int take(int[] ends, boolean fromLast) {
    synchronized (ends) {
      if (ends[0] >= ends[1]) {
        return -1;
      }
      return fromLast ? --ends[1] : ends[0]++;
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
