package org.bulwark.deployer.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the module bundle of a configured module says (the {@code Bulwark-Module*} headers).
 *
 * @param module the module name
 * @param id the module id
 * @param home {@code SAFE/modules/AM}
 * @param config {@code SAFE/private/modules/AM}
 * @param signature SHA-256 of the applied configuration files
 */
record ModuleBundle(String module, int id, Path home, Path config, String signature) {
  ModuleBundle {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(signature, "signature");
  }
}
