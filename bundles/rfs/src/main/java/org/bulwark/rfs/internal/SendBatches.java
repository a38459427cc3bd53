package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * How a reintegration's changes go out on the session: in batches while its passes run (one wake-up
 * of the connection's event loop for many small files' creations, data, attributes and times)
 * rather than one by one, each stream batching its own; one by one otherwise. A change the
 * secondary could not apply ends the session.
 */
final class SendBatches {
  static final int FLUSH_CHANGES = 64;
  static final long FLUSH_BYTES = 1 << 20;

  private final PrimarySession session;

  /**
   * Changes queued since the last flush, and their data bytes: a pass's changes go out in batches
   * rather than one by one; only in {@link Reintegrator#run}, and flushed before anything waits.
   */
  private volatile boolean batching;

  /** Changes and bytes queued unflushed by this thread (each stream batches its own). */
  private final ThreadLocal<long[]> batch = ThreadLocal.withInitial(() -> new long[2]);

  SendBatches(PrimarySession session) {
    this.session = session;
  }

  /** From now on, changes are queued in batches. */
  void start() {
    batching = true;
  }

  /** From now on, every change is flushed as it is sent; what is queued is flushed now. */
  void stop() {
    batching = false;
    session.flush();
  }

  /** Changes this thread queued unflushed. */
  long unflushed() {
    return batch.get()[0];
  }

  /** Flushes what is queued (every stream's), and this thread starts a new batch. */
  void flush() {
    session.flush();
    long[] b = batch.get();
    b[0] = 0;
    b[1] = 0;
  }

  /**
   * Queues a change; {@code linked}: of a file this pass read with several names, which the
   * secondary's appliers apply in the stream's order ({@link ApplyLanes#laneOf}).
   */
  void send(Change c, boolean linked) throws IOException {
    boolean flush = true;
    if (batching) {
      long[] b = batch.get();
      b[0]++;
      b[1] += c instanceof Change.Write w ? w.length() : 0;
      flush = b[0] >= FLUSH_CHANGES || b[1] >= FLUSH_BYTES;
      if (flush) {
        b[0] = 0;
        b[1] = 0;
      }
    }
    CompletableFuture<Integer> ack = session.send(c, flush, linked);
    ack.thenAccept(
        errno -> {
          if (errno != 0) {
            session.end("the secondary could not apply " + describe(c) + ": errno " + errno);
          }
        });
  }

  private static String describe(Change c) {
    return c.getClass().getSimpleName() + " " + c.path();
  }
}
