package org.bulwark.config.internal.schema;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An XSD simple type as far as configuration files use them: a base ({@code string}, {@code int},
 * {@code long}), enumerations, one pattern, an inclusive range, a minimum length.
 */
public record SimpleType(
    String name,
    String base,
    List<String> enumeration,
    Pattern pattern,
    Long minInclusive,
    Long maxInclusive,
    int minLength,
    String doc) {

  public SimpleType {
    enumeration = List.copyOf(enumeration);
  }

  /** Whether values are whole numbers. */
  public boolean numeric() {
    return base.equals("int") || base.equals("long") || base.equals("integer");
  }

  /** Whether this is the time type of spec B.1. */
  public boolean time() {
    return "time".equals(name);
  }

  /** Allowed values as the reference documentation shows them. */
  public String describe() {
    if (!enumeration.isEmpty()) {
      return String.join(", ", enumeration);
    }
    if (time()) {
      return "time: a number with an optional unit d, h, m, s, ms, us";
    }
    if (numeric()) {
      if (minInclusive != null && maxInclusive != null) {
        return "integer " + minInclusive + ".." + maxInclusive;
      }
      return minInclusive != null ? "integer >= " + minInclusive : "integer";
    }
    if (doc != null) {
      return doc;
    }
    return minLength > 0 ? "non-empty text" : "text";
  }
}
