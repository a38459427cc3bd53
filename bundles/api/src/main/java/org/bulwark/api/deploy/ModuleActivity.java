package org.bulwark.api.deploy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by the module runtime: whether a module is STOP. The deployer refuses to uninstall,
 * reinstall or deconfigure a module that is not. Without this service every module counts as
 * stopped.
 */
@ConsumerType
public interface ModuleActivity {

  /** Whether the module is in state STOP (or unknown to the runtime). */
  boolean isStopped(String module);
}
