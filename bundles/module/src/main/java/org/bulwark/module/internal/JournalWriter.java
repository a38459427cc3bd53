package org.bulwark.module.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes module-log and resource rows to the store on a thread of its own, in the order they were
 * given, so that no module's event loop ever waits on the disk: a slow commit must not delay a
 * heartbeat and cause a false failover (issue 13, DESIGN: runtime model).
 *
 * <p>The queue is bounded. When the store falls that far behind, new rows are refused and counted
 * (the caller reports the loss once the store keeps up again) rather than blocking the loop or
 * growing the heap. A {@linkplain #barrier() barrier} completes once every row given before it is
 * written: the command line waits on it before answering, so that what a command logged is in the
 * log when the command returns.
 */
final class JournalWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);

  /** A write to the store; it handles its own store errors. */
  interface Row {
    void write();
  }

  static final int DEFAULT_CAPACITY = 65_536;

  private final int capacity;
  private final Thread thread;

  // guarded by this
  private final Deque<Row> rows = new ArrayDeque<>();
  private final Deque<Barrier> barriers = new ArrayDeque<>();
  private long given;
  private long written;
  private boolean closed;

  private record Barrier(long upTo, CompletableFuture<Void> done) {}

  JournalWriter(String name, int capacity) {
    this.capacity = capacity;
    this.thread = new Thread(this::drain, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a row; false when the queue is full or closed (the row is not written). */
  synchronized boolean offer(Row row) {
    if (closed || rows.size() >= capacity) {
      return false;
    }
    rows.addLast(row);
    given++;
    notifyAll();
    return true;
  }

  /** Completes once every row queued before this call is written (at once if none is pending). */
  synchronized CompletableFuture<Void> barrier() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (written >= given || closed && rows.isEmpty()) {
      done.complete(null);
    } else {
      barriers.addLast(new Barrier(given, done));
    }
    return done;
  }

  /** Waits at most {@code limit} for the rows queued so far; returns whether they were written. */
  boolean flush(Duration limit) {
    try {
      barrier().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /** Rows waiting to be written. */
  synchronized int pending() {
    return rows.size();
  }

  private void drain() {
    while (true) {
      Row row;
      synchronized (this) {
        while (rows.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            closed = true;
          }
        }
        if (rows.isEmpty()) {
          barriers.forEach(b -> b.done.complete(null));
          barriers.clear();
          return;
        }
        row = rows.peekFirst();
      }
      try {
        row.write();
      } catch (RuntimeException e) {
        LOG.error("Journal row not written", e);
      }
      synchronized (this) {
        rows.pollFirst();
        written++;
        while (!barriers.isEmpty() && barriers.peekFirst().upTo <= written) {
          barriers.pollFirst().done.complete(null);
        }
      }
    }
  }

  /** Writes what is queued (waiting at most {@code limit}), then ends the thread. */
  void close(Duration limit) {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(limit.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (!rows.isEmpty()) {
        LOG.warn("{} journal rows not written at close: the store is too slow", rows.size());
      }
      rows.clear();
      barriers.forEach(b -> b.done.complete(null));
      barriers.clear();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
