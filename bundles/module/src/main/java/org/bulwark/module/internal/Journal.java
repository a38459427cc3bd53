package org.bulwark.module.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module log and resource table of one module (spec G.6, B.20). Rows are stamped when given and
 * written by the node's {@link JournalWriter}, so the module's event loop never waits on the disk.
 * A store failure must not stop the module: it goes to the node log instead.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  /** How long a reader waits for the rows given before it (a slow store delays, never blocks). */
  static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

  private final String module;
  private final EventLog events;
  private final ResourceHistory resources;
  private final Clock clock;
  private final JournalWriter writer;
  private final AtomicLong lost = new AtomicLong();

  Journal(
      String module,
      EventLog events,
      ResourceHistory resources,
      Clock clock,
      JournalWriter writer) {
    this.module = module;
    this.events = events;
    this.resources = resources;
    this.clock = clock;
    this.writer = writer;
  }

  void log(EventLevel level, String component, String message) {
    Instant time = clock.instant();
    give(
        () -> {
          try {
            events.append(time, module, component, level, message);
          } catch (StoreException e) {
            LOG.error(
                "{} | {} | {} | {} (not journaled: {})", module, component, level, message, e);
          }
        },
        module + " | " + component + " | " + level + " | " + message);
  }

  void resource(String name, String value, String setter) {
    ResourceEntry entry = new ResourceEntry(clock.instant(), module, name, value, setter);
    give(
        () -> {
          try {
            resources.record(entry);
          } catch (StoreException e) {
            LOG.error("{}: resource {} = {} by {} not journaled", module, name, value, setter, e);
          }
        },
        module + ": resource " + name + " = " + value);
  }

  /** Completes once every row given so far (by any module) is written. */
  CompletableFuture<Void> written() {
    return writer.barrier();
  }

  /** Every resource's current value, as the store has it (empty when it cannot be read). */
  java.util.Map<String, String> currentValues() {
    writer.flush(READ_YOUR_WRITES);
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    try {
      resources.current(module).forEach(r -> out.put(r.name(), r.value()));
    } catch (StoreException e) {
      LOG.error("{}: cannot read its resources", module, e);
    }
    return out;
  }

  /** Rows refused because the store fell too far behind (reported in the log once it caught up). */
  long lost() {
    return lost.get();
  }

  private void give(JournalWriter.Row row, String what) {
    long before = lost.get();
    if (before > 0 && writer.offer(lossReport(before))) {
      lost.addAndGet(-before);
    }
    if (!writer.offer(row)) {
      if (lost.getAndIncrement() == 0) {
        LOG.error(
            "{}: the store is too slow, journal rows are being lost, first: {}", module, what);
      }
    }
  }

  private JournalWriter.Row lossReport(long count) {
    Instant time = clock.instant();
    String message = count + " lines of this log were lost: the journal could not keep up";
    return () -> {
      try {
        events.append(time, module, "safeadmin", EventLevel.E, message);
      } catch (StoreException e) {
        LOG.error("{}: {}", module, message, e);
      }
    };
  }

  /** How far back {@link #wasRunning} looks for the module's last action, in main-log rows. */
  static final int LAST_ACTION_ROWS = 2000;

  /**
   * Whether the module was running when the node last stopped or crashed, for {@code
   * service@boot="auto"} (spec B.3): its last {@code Action …} line is not a stop ({@code Action
   * shutdown called by SYSTEM}, when the node or the machine stops, is not one). Never started, or
   * stopped by an administrator, maxloop or a script: false.
   */
  boolean wasRunning() {
    writer.flush(READ_YOUR_WRITES);
    try {
      java.util.List<org.bulwark.api.store.EventEntry> rows =
          events.tail(module, false, LAST_ACTION_ROWS);
      for (int i = rows.size() - 1; i >= 0; i--) {
        String message = rows.get(i).message();
        if (message.startsWith("Action ")) {
          return !(message.startsWith("Action stop ") || message.startsWith("Action forcestop "));
        }
      }
      return false;
    } catch (StoreException e) {
      LOG.error("{}: cannot read the module log for boot=\"auto\"", module, e);
      return false;
    }
  }
}
