package org.bulwark.module.internal;

/** What a waiter gets when its module is uninstalled, reconfigured or the node stops. */
final class ModuleRemovedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ModuleRemovedException(String module) {
    super("module " + module + " was removed (uninstalled, reconfigured or node stopping)");
  }
}
