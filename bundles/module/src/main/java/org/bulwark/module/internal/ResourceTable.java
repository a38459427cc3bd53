package org.bulwark.module.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * The resources of one module (spec B.20): what the failover rules read, what {@code safekit get}
 * and {@code state -v} print. Written only on the module's loop; readers on other threads get the
 * last published copy. The store keeps the history; this table is the current value, loaded from
 * the store when the module is loaded so that the persistent toggles ({@code usersetting.*}) hold
 * across restarts.
 */
final class ResourceTable {

  /** Whether a change goes to the history and the log ({@code safekit set -n|-l}, spec B.20). */
  enum History {
    /** A history row and a log line when the value changes. */
    CHANGES,
    /** A history row and a log line even when the value is the same ({@code -l}). */
    ALWAYS,
    /** No row, no line: only the current value, which is not kept across a restart ({@code -n}). */
    NONE
  }

  // confined to the loop
  private final Map<String, String> values = new TreeMap<>();
  private long version;

  // an immutable copy, replaced at every change
  private volatile Map<String, String> published = Map.of();

  ResourceTable(Map<String, String> initial) {
    values.putAll(initial);
    published = Map.copyOf(values);
  }

  /** Sets a value on the loop; true when it changed. */
  boolean put(String name, String value) {
    if (value.equals(values.put(name, value))) {
      return false;
    }
    version++;
    published = Map.copyOf(values);
    return true;
  }

  /** On the loop: the current values (read-only). */
  Map<String, String> current() {
    return published;
  }

  /** On the loop: increases at every change, so that the heartbeats know when to carry them. */
  long version() {
    return version;
  }

  /** From any thread: a copy sorted by name, as last published. */
  Map<String, String> view() {
    return new TreeMap<>(published);
  }
}
