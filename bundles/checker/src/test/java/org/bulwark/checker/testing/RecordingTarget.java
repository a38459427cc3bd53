package org.bulwark.checker.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.checker.CheckerTarget;
import org.bulwark.api.store.EventLevel;

/**
 * A module as the checker executor sees it, for tests: records the resources, the log lines (as the
 * module log spells them) and the commands, and waits for one with a deadline.
 */
public final class RecordingTarget implements CheckerTarget {
  private final Object lock = new Object();

  // guarded by lock
  private final Map<String, String> values = new HashMap<>();
  private final List<String> lines = new ArrayList<>();

  @Override
  public void resource(String resource, String value, String by) {
    synchronized (lock) {
      values.put(resource, value);
      lines.add("Resource " + resource + " set to " + value + " by " + by);
      lock.notifyAll();
    }
  }

  @Override
  public Optional<String> current(String resource) {
    synchronized (lock) {
      return Optional.ofNullable(values.get(resource));
    }
  }

  @Override
  public void log(EventLevel level, String component, String message) {
    if (level.inMainLog()) {
      synchronized (lock) {
        lines.add(message);
        lock.notifyAll();
      }
    }
  }

  @Override
  public void command(String verb, String identity) {
    log(EventLevel.E, identity, "Action " + verb + " called by " + identity);
  }

  /** Every line so far. */
  public List<String> lines() {
    synchronized (lock) {
      return List.copyOf(lines);
    }
  }

  /**
   * Waits until a line equal to {@code line} was logged; fails with every line after {@code limit}.
   */
  public void awaitLine(String line, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (lock) {
      while (!lines.contains(line)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no line '" + line + "' within " + limit + " in " + lines);
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Forgets the lines logged so far (the values stay). */
  public void clearLines() {
    synchronized (lock) {
      lines.clear();
    }
  }
}
