package org.bulwark.rfs.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.rfs.ReplicationEvents;

/** The module's {@code rfs.*} resources (spec B.20), reported only when a value changes. */
final class Resources {
  private final ReplicationEvents events;

  // guarded by this
  private final Map<String, String> values = new HashMap<>();

  private final Traffic traffic = new Traffic(this);

  /** What the current role refused: {@link #REFUSED}, the replication status's count. */
  private final AtomicLong refused = new AtomicLong();

  /**
   * Bulwark's own resource (not in SafeKit's catalogue, as {@code rfs.rei_left}): the replication
   * messages and connections the current role refused (malformed, out of order, escaping their
   * directory, not from the peer), each also logged; shown by {@code safekit state -v}.
   */
  static final String REFUSED = "rfs.refused";

  Resources(ReplicationEvents events) {
    this.events = events;
  }

  /** A measurement's new value (ReplicationEvents#measured), reported only when it changes. */
  void measured(String name, String value) {
    if (changed(name, value)) {
      events.measured(name, value);
    }
  }

  private synchronized boolean changed(String name, String value) {
    return !value.equals(values.put(name, value));
  }

  /** A role starts: nothing refused yet. */
  void roleStarted() {
    refused.set(0);
    measured(REFUSED, "0");
  }

  /** A message or connection refused by the current role. */
  void refused() {
    measured(REFUSED, Long.toString(refused.incrementAndGet()));
  }

  long refusedCount() {
    return refused.get();
  }

  /** The replication's traffic, which its bandwidth resources report. */
  Traffic traffic() {
    return traffic;
  }

  /** A progress resource's new value (ReplicationEvents#progress), reported when it changes. */
  void progress(String name, String value) {
    if (changed(name, value)) {
      events.progress(name, value);
    }
  }

  void set(String name, String value) {
    if (changed(name, value)) {
      events.resource(name, value);
    }
  }
}
