package org.bulwark.rfs.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * {@code reiallowedbw} (spec B.7): the reintegration's copy rate held to a number of KB/s, so that
 * resynchronising a large tree does not take the network from the application. Live replication is
 * never held back. Time is measured from the first byte; a copy ahead of its allowance waits (with
 * no lock held) until the allowance catches up.
 */
final class Bandwidth {
  private final long bytesPerSecond;
  private final LongSupplier clock;
  private final LongConsumer pause;
  private long start = -1;
  private long bytes;

  /**
   * @param kilobytesPerSecond the cap; zero or less: none
   */
  Bandwidth(long kilobytesPerSecond) {
    this(kilobytesPerSecond, System::nanoTime, LockSupport::parkNanos);
  }

  /** With the time source and the pause given (tests drive a manual clock). */
  Bandwidth(long kilobytesPerSecond, LongSupplier clock, LongConsumer pause) {
    this.bytesPerSecond = kilobytesPerSecond * 1024;
    this.clock = clock;
    this.pause = pause;
  }

  /** Whether a cap is set: {@link #take} may wait. */
  boolean limited() {
    return bytesPerSecond > 0;
  }

  /** Accounts {@code n} bytes about to be copied, waiting first if the cap requires it. */
  void take(long n) {
    if (bytesPerSecond <= 0) {
      return;
    }
    long now;
    long due;
    synchronized (this) { // the reintegration's threads share one allowance (nbrei)
      now = clock.getAsLong();
      if (start < 0) {
        start = now;
      }
      bytes += n;
      // seconds and remainder apart: bytes × 1e9 would overflow past 9 GB
      due =
          start
              + bytes / bytesPerSecond * 1_000_000_000L
              + (bytes % bytesPerSecond) * 1_000_000_000L / bytesPerSecond;
    }
    while (due > now) {
      pause.accept(due - now);
      now = clock.getAsLong();
    }
  }
}
