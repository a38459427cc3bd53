package org.bulwark.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the commands log (spec G.7): {@code START <command line>}, {@code END <rc>} or {@code
 * I <message>}.
 *
 * @param time when the row was written
 * @param type the action type ({@code safekit}, {@code cluster}, …)
 * @param module the module concerned, empty when none
 * @param id the command id shared by its START and END rows
 * @param kind START, END or I
 * @param text the command line with its origin, the exit code, or the message
 */
public record CommandLogEntry(
    Instant time, String type, String module, long id, Kind kind, String text) {

  /** The kind of a commands-log row. */
  public enum Kind {
    START,
    END,
    I
  }

  public CommandLogEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(kind, "kind");
    type = type == null ? "" : type;
    module = module == null ? "" : module;
    text = text == null ? "" : text;
  }
}
