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
 */
public record ModuleStatus(String name, int id, ModuleKind kind, LocalState local) {
  public ModuleStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(local, "local");
  }
}
