package org.bulwark.api.env;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The directories of one node, named as the spec names them (spec E.2, G.13).
 *
 * <p>{@code SAFE} is the install root (the distribution directory), {@code SAFEVAR} the variable
 * data. Every other directory derives from these two, so that a copy of the distribution is a
 * separate node.
 *
 * @param safe install root ({@code SAFE})
 * @param safeVar variable data ({@code SAFEVAR})
 */
public record SafeDirectories(Path safe, Path safeVar) {

  public SafeDirectories {
    Objects.requireNonNull(safe, "safe");
    Objects.requireNonNull(safeVar, "safeVar");
    safe = safe.toAbsolutePath().normalize();
    safeVar = safeVar.toAbsolutePath().normalize();
  }

  /** {@code SAFEBIN = SAFE/private/bin}: the product's helper commands. */
  public Path safeBin() {
    return safe.resolve("private").resolve("bin");
  }

  /** {@code SAFE/modules}: where installed modules live. */
  public Path modules() {
    return safe.resolve("modules");
  }

  /** {@code SAFE/Application_Modules}: stock and backed-up {@code .safe} packages. */
  public Path applicationModules() {
    return safe.resolve("Application_Modules");
  }

  /** {@code SAFE/conf}: licenses and product-wide settings. */
  public Path conf() {
    return safe.resolve("conf");
  }

  /** {@code SAFEVAR/cluster}: the applied {@code cluster.xml}. */
  public Path cluster() {
    return safeVar.resolve("cluster");
  }

  /** {@code SAFEVAR/db}: the node's embedded database. */
  public Path database() {
    return safeVar.resolve("db");
  }

  /** {@code SAFEVAR/run}: the local administration socket and pid files. */
  public Path run() {
    return safeVar.resolve("run");
  }

  /** {@code SAFEUSERBIN = SAFE/private/modules/AM/bin}. */
  public Path userBin(String module) {
    return privateModule(module).resolve("bin");
  }

  /** {@code SAFEUSERCONF = SAFE/private/modules/AM/conf}. */
  public Path userConf(String module) {
    return privateModule(module).resolve("conf");
  }

  /** {@code SAFEUSERVAR = SAFEVAR/modules/AM}. */
  public Path userVar(String module) {
    return safeVar.resolve("modules").resolve(module);
  }

  private Path privateModule(String module) {
    return safe.resolve("private").resolve("modules").resolve(module);
  }

  /**
   * The environment a module script receives (spec E.2), without the module's own {@code
   * <user><var>} entries, in a stable order.
   */
  public Map<String, String> scriptEnvironment(String module) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SAFE", safe.toString());
    env.put("SAFEVAR", safeVar.toString());
    env.put("SAFEBIN", safeBin().toString());
    if (module != null) {
      env.put("SAFEMODULE", module);
      env.put("SAFEUSERBIN", userBin(module).toString());
      env.put("SAFEUSERCONF", userConf(module).toString());
      env.put("SAFEUSERVAR", userVar(module).toString());
    }
    return env;
  }

  /** The global directories, as {@code safekit -p} prints them (spec F.1). */
  public Map<String, String> globalEnvironment() {
    Map<String, String> env = new LinkedHashMap<>(scriptEnvironment(null));
    env.put("SAFEMODULES", modules().toString());
    env.put("SAFEAPPMODULES", applicationModules().toString());
    env.put("SAFECONF", conf().toString());
    env.put("SAFECLUSTER", cluster().toString());
    return env;
  }

  /**
   * Resolves the directories from the environment: {@code SAFE} defaults to {@code home}, {@code
   * SAFEVAR} to {@code SAFE/var}.
   */
  public static SafeDirectories resolve(Path home, Map<String, String> environment) {
    String safe = environment.get("SAFE");
    Path root = safe == null || safe.isBlank() ? home : Path.of(safe);
    String safeVar = environment.get("SAFEVAR");
    Path var = safeVar == null || safeVar.isBlank() ? root.resolve("var") : Path.of(safeVar);
    return new SafeDirectories(root, var);
  }
}
