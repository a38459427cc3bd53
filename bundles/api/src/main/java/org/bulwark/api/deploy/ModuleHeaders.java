package org.bulwark.api.deploy;

/**
 * The manifest headers and names of a module bundle. The deployer installs one bundle per
 * configured module at {@link #LOCATION_PREFIX}{@code AM}; reconfiguration updates it with a higher
 * {@code Bundle-Version}; deconfiguration uninstalls it. The module runtime runs a module while its
 * bundle is ACTIVE and stops it when the bundle stops.
 */
public final class ModuleHeaders {

  /** The module name (AM). Its presence marks a module bundle. */
  public static final String MODULE = "Bulwark-Module";

  /** The module id (spec G.9), decimal. */
  public static final String MODULE_ID = "Bulwark-Module-Id";

  /** Absolute path of {@code SAFE/modules/AM}: the installed module. */
  public static final String MODULE_HOME = "Bulwark-Module-Home";

  /** Absolute path of {@code SAFE/private/modules/AM}: the applied configuration (spec B.0). */
  public static final String MODULE_CONFIG = "Bulwark-Module-Config";

  /** SHA-256, hex, of the applied configuration files ({@code conf/} and {@code bin/}). */
  public static final String MODULE_SIGNATURE = "Bulwark-Module-Signature";

  /** Bundle location prefix: {@code bulwark:module:AM}. */
  public static final String LOCATION_PREFIX = "bulwark:module:";

  /** Bundle-SymbolicName prefix: {@code bulwark.module.AM}. */
  public static final String SYMBOLIC_NAME_PREFIX = "bulwark.module.";

  private ModuleHeaders() {}

  /** The bundle location of a module. */
  public static String location(String module) {
    return LOCATION_PREFIX + module;
  }

  /** The bundle symbolic name of a module. */
  public static String symbolicName(String module) {
    return SYMBOLIC_NAME_PREFIX + module;
  }
}
