package org.bulwark.api.deploy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One installed module.
 *
 * @param name the module name (AM)
 * @param id the module id (spec G.9), at least 1
 * @param home {@code SAFE/modules/AM}
 * @param configured {@code SAFE/private/modules/AM} when a configuration is applied
 * @param signature SHA-256 of the applied configuration files, when one is applied
 */
public record InstalledModule(
    String name, int id, Path home, Optional<Path> configured, Optional<String> signature) {

  public InstalledModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(configured, "configured");
    Objects.requireNonNull(signature, "signature");
    if (id < 1) {
      throw new IllegalArgumentException("module id must be at least 1: " + id);
    }
  }

  /** Whether a configuration is applied. */
  public boolean isConfigured() {
    return configured.isPresent();
  }
}
