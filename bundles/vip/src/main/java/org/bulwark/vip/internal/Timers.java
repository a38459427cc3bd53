package org.bulwark.vip.internal;

import java.time.Duration;

/**
 * Where the later announcements and the conflict probes run: a scheduled executor in production, a
 * manual queue in tests (time is an input, STYLE.md).
 */
interface Timers {

  /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
  Cancel schedule(Duration delay, Runnable task);

  /** A scheduled task's handle. */
  interface Cancel {
    void cancel();
  }
}
