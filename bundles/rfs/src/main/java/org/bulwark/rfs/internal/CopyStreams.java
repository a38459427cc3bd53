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
  /** One step of a pass, run on a stream. */
  interface StepAction {
    void run(Plan.Step step) throws IOException;
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

  /** Runs every step on the streams; returns once all are done, or throws the first failure. */
  void run(List<Plan.Step> steps, StepAction action) throws IOException {
    if (steps.isEmpty()) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    int workers = Math.min(streams, steps.size());
    Future<?>[] running = new Future<?>[workers];
    for (int w = 0; w < workers; w++) {
      running[w] =
          threads.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < steps.size() && failed.get() == null;
                    i = next.getAndIncrement()) {
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

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
