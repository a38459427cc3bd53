package org.bulwark.vip.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Timers driven by the test: {@link #advance} runs what falls due, in time order. */
final class ManualTimers implements Timers {
  private Duration now = Duration.ZERO;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;

  private final class Task implements Cancel {
    final Duration at;
    final long order = sequence++;
    final Runnable run;
    boolean cancelled;

    Task(Duration at, Runnable run) {
      this.at = at;
      this.run = run;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Override
  public Cancel schedule(Duration delay, Runnable task) {
    Task t = new Task(now.plus(delay), task);
    tasks.add(t);
    return t;
  }

  Duration now() {
    return now;
  }

  /** Moves time forward by {@code d}, running every task due, each at its own time. */
  void advance(Duration d) {
    Duration end = now.plus(d);
    while (true) {
      Task next =
          tasks.stream()
              .filter(t -> !t.cancelled && t.at.compareTo(end) <= 0)
              .min(Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.order))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = next.at;
      next.run.run();
    }
    now = end;
  }

  long pending() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }
}
