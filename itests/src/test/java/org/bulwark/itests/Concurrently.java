package org.bulwark.itests;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Steps of a test run on other threads, their checked failures carried back to the test. */
final class Concurrently {
  private Concurrently() {}

  /** A step that answers. */
  interface Call<T> {
    T call() throws Exception;
  }

  /** A step that answers nothing. */
  interface Step {
    void run() throws Exception;
  }

  /** {@code call} started on another thread; what it throws fails the future, wrapped. */
  static <T> CompletableFuture<T> start(Call<T> call) {
    return CompletableFuture.supplyAsync(() -> unchecked(call));
  }

  /** Runs both steps at once and waits for both; rethrows a failure as the step threw it. */
  static void inParallel(Step a, Step b) throws Exception {
    CompletableFuture<Void> fa = start(() -> done(a));
    CompletableFuture<Void> fb = start(() -> done(b));
    try {
      CompletableFuture.allOf(fa, fb).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw (Error) e.getCause();
    }
  }

  private static Void done(Step s) throws Exception {
    s.run();
    return null;
  }

  private static <T> T unchecked(Call<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }
}
