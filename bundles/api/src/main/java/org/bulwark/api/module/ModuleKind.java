package org.bulwark.api.module;

import java.util.Locale;
import java.util.Optional;

/** The {@code <service mode="…">} of a module (spec B.3). */
public enum ModuleKind {
  MIRROR,
  FARM,
  LIGHT;

  /** The spelling in {@code userconfig.xml}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code mirror}, {@code farm} or {@code light}; empty for anything else. */
  public static Optional<ModuleKind> fromConfig(String mode) {
    for (ModuleKind k : values()) {
      if (k.configName().equals(mode)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
