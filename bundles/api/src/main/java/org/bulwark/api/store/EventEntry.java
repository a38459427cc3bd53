package org.bulwark.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a module log (spec G.6): {@code | time | component | level | message}.
 *
 * @param seq position in the log, increasing
 * @param time when it happened
 * @param module the module, empty for node-wide events
 * @param component the writer ({@code heart}, {@code userplug}, {@code errd} …)
 * @param level the level
 * @param message the text
 */
public record EventEntry(
    long seq, Instant time, String module, String component, EventLevel level, String message) {

  public EventEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(level, "level");
    module = module == null ? "" : module;
    component = component == null ? "" : component;
    message = message == null ? "" : message;
  }
}
