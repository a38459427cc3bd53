package org.bulwark.net.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Conditions with deadlines: a test waits for what it expects, never for a fixed time. */
final class Await {
  private Await() {}

  interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls {@code condition} until it holds; fails with {@code what} after {@code limit}. */
  static void until(Duration limit, String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
