package org.bulwark.api.runtime;

import java.util.Objects;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;

/**
 * One module as its node runs it.
 *
 * @param name the module name (AM)
 * @param id the module id (spec G.9)
 * @param kind mirror, farm or light
 * @param local the local state ({@code UP Ready} …)
 * @param loaded when this node's module runtime loaded the module (epoch milliseconds; 0 when not
 *     known): with {@code readyCount}, it names one ready period of the module
 * @param readyCount how many times the module became ready (PRIM or ALONE Ready, UP Ready: the
 *     health-check URL answering 200, spec G.10) since it was loaded; a restart of its application
 *     passes through a transient state, so a module checker that sees this count change between two
 *     tests knows the module was restarted even when both tests found it ready (spec B.17)
 */
public record ModuleStatus(
    String name, int id, ModuleKind kind, LocalState local, long loaded, long readyCount) {
  public ModuleStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(local, "local");
  }

  /** A module whose ready periods are not counted. */
  public ModuleStatus(String name, int id, ModuleKind kind, LocalState local) {
    this(name, id, kind, local, 0, 0);
  }

  /**
   * The current ready period, {@code <loaded>-<readyCount>}: it changes each time the module
   * becomes ready again, and when the module is loaded again (a node restart). Served as the {@code
   * ETag} of the health-check URL.
   */
  public String readyTag() {
    return loaded + "-" + readyCount;
  }
}
