package org.bulwark.web.internal.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles of spec G.2, each granting what the one below grants: Monitor reads, Control also acts
 * on modules (start, stop, prim …), Admin also configures (cluster, modules, users, API keys).
 */
public enum Role {
  MONITOR("Monitor"),
  CONTROL("Control"),
  ADMIN("Admin");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  /**
   * {@code Admin}, {@code Control} or {@code Monitor}, as {@code group.conf} and the spec write it.
   */
  @JsonValue
  public String label() {
    return label;
  }

  /** Whether this role may do what {@code required} may. */
  public boolean grants(Role required) {
    return compareTo(required) >= 0;
  }

  /** The role named {@code label}, in any case. */
  public static Optional<Role> parse(String label) {
    if (label == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.label.toLowerCase(Locale.ROOT).equals(label.toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
