package org.bulwark.deployer.internal;

import java.util.Map;

/**
 * Installs, updates and removes module bundles in the framework. Behind an interface so that the
 * deployer's logic is tested without a framework; {@link OsgiModuleBundles} is the real one.
 */
interface ModuleBundles {

  /** Installs and starts the module's bundle, or updates it to a higher version. */
  void deploy(ModuleBundle bundle) throws Exception;

  /** Uninstalls the module's bundle, if there is one. */
  void undeploy(String module) throws Exception;

  /** The module bundles present: module name to signature. */
  Map<String, String> deployed();
}
