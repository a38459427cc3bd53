package org.bulwark.api.runtime;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every module's local state as the module runtime publishes it (whiteboard: register a
 * service of this type). The runtime calls it on the module's own loop thread, after the actions of
 * the step that changed the state have run: an implementation hands the change over and returns at
 * once, never blocks, never throws.
 */
@ConsumerType
public interface ModuleStateListener {

  /** The module's local state is now {@code module.local()}; also when a module is loaded. */
  void stateChanged(ModuleStatus module);

  /** The module is no longer run on this node (uninstalled, deconfigured, node stopping). */
  void moduleRemoved(String name);
}
