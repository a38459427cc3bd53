package org.bulwark.rfs.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a reintegration is (spec C.4, B.20 {@code rfs.rei_bandwidth}): files and bytes planned by
 * its passes and copied so far, the rate and what is left. Updated by the reintegrator, read by the
 * reporters.
 */
final class Progress {
  private final long startNanos = System.nanoTime();
  private final AtomicLong plannedFiles = new AtomicLong();
  private final AtomicLong plannedBytes = new AtomicLong();
  private final AtomicLong copiedFiles = new AtomicLong();
  private final AtomicLong copiedBytes = new AtomicLong();

  void planned(long files, long bytes) {
    plannedFiles.addAndGet(files);
    plannedBytes.addAndGet(bytes);
  }

  void copiedFile() {
    copiedFiles.incrementAndGet();
  }

  void copied(long bytes) {
    copiedBytes.addAndGet(bytes);
  }

  /** A reading of the counters. */
  record Reading(
      long filesLeft, long bytesLeft, long bytesCopied, long bytesPerSecond, long etaSeconds) {
    String line() {
      return "Reintegration: "
          + filesLeft
          + " files and "
          + bytesLeft / 1024
          + " KB left, "
          + bytesCopied / 1024
          + " KB copied at "
          + bytesPerSecond / 1024
          + " KB/s"
          + (etaSeconds < 0 ? "" : ", about " + etaSeconds + " s to go");
    }
  }

  Reading read() {
    long elapsed = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
    long copied = copiedBytes.get();
    long left = Math.max(0, plannedBytes.get() - copied);
    long rate = copied * 1000 / elapsed;
    long eta = rate > 0 ? left / rate : -1;
    return new Reading(
        Math.max(0, plannedFiles.get() - copiedFiles.get()), left, copied, rate, eta);
  }
}
