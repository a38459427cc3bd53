package org.bulwark.api.config;

import java.util.Objects;

/**
 * One mistake in a configuration file, as the administrator needs to see it.
 *
 * @param file the file name as given to the parser
 * @param line 1-based line of the mistake
 * @param column 1-based column of the mistake
 * @param path where in the document: {@code /safe/service/rfs/@async}, {@code /cluster/lans/lan[2]}
 *     ({@code /} when the document itself is broken)
 * @param message what is wrong and what was expected
 * @param suggestion a fix when one is obvious ({@code did you mean 'async'?}), or null
 */
public record ConfigurationError(
    String file, int line, int column, String path, String message, String suggestion) {

  public ConfigurationError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column: path: message (suggestion)}, the form every command prints. */
  public String format() {
    StringBuilder text = new StringBuilder();
    text.append(file).append(':').append(line).append(':').append(column).append(": ");
    text.append(path).append(": ").append(message);
    if (suggestion != null) {
      text.append(" (").append(suggestion).append(')');
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
