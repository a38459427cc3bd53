package org.bulwark.api.checker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.bulwark.api.config.ModuleConfig;

/**
 * What a checker provider may read about one module.
 *
 * @param config the module's applied configuration
 * @param bin the module's {@code bin/} (relative handler and custom checker paths start there)
 * @param environment the scripts' environment (spec E.2)
 */
public record CheckerContext(ModuleConfig config, Path bin, Map<String, String> environment) {
  public CheckerContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(bin, "bin");
    environment = Map.copyOf(environment);
  }

  public String module() {
    return config.moduleName();
  }
}
