package org.bulwark.api.config;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of parsing a configuration file: either the whole model or every error found; never
 * both, never a partial model (issue 3: "nothing is applied when anything is wrong").
 */
public sealed interface ConfigResult<T> {

  /** The file is valid. */
  record Valid<T>(T model) implements ConfigResult<T> {
    public Valid {
      Objects.requireNonNull(model, "model");
    }
  }

  /** The file is not valid; {@code errors} is never empty and is in document order. */
  record Invalid<T>(List<ConfigurationError> errors) implements ConfigResult<T> {
    public Invalid {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one error");
      }
    }
  }

  /** Whether the file is valid. */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The model, or an {@link IllegalStateException} listing the errors. */
  default T orElseThrow() {
    if (this instanceof Valid<T> valid) {
      return valid.model();
    }
    throw new IllegalStateException("invalid configuration: " + errors());
  }

  /** The errors; empty when valid. */
  default List<ConfigurationError> errors() {
    return this instanceof Invalid<T> invalid ? invalid.errors() : List.of();
  }
}
