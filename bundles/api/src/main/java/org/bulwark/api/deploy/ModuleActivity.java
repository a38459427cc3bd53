package org.bulwark.api.deploy;

import org.bulwark.api.module.LocalState;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by the module runtime: whether a module is STOP, and the hand-over of a running
 * module across the update of its bundle. The deployer refuses to uninstall, reinstall or
 * deconfigure a module that is not stopped. Without this service every module counts as stopped.
 */
@ConsumerType
public interface ModuleActivity {

  /** Whether the module is in state STOP (or unknown to the runtime). */
  boolean isStopped(String module);

  /** The module's local state on this node ({@link LocalState#STOPPED} if unknown). */
  default LocalState state(String module) {
    return LocalState.STOPPED;
  }

  /**
   * Announces that a new configuration of a running module is about to be applied (its changes are
   * all dynamic, spec B.0): while the returned hand-over is open, the update of the module's bundle
   * does not stop the module; its runtime stays and takes the new configuration when the bundle
   * comes back. Closing it ends the window; a module whose bundle has not come back by then is
   * stopped, as for any removed bundle.
   */
  default Handover reconfiguring(String module) {
    return Handover.NONE;
  }

  /** The window opened by {@link #reconfiguring}. */
  @FunctionalInterface
  interface Handover extends AutoCloseable {
    Handover NONE = () -> {};

    @Override
    void close();
  }
}
