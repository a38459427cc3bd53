package org.bulwark.web.internal.events;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;

/** The registry of a node with one mirror module, {@code appa}, whose state the test sets. */
final class OneModuleRegistry implements ModuleRegistry {
  final AtomicReference<LocalState> state = new AtomicReference<>(LocalState.STOPPED);

  @Override
  public List<ModuleStatus> modules() {
    return List.of(new ModuleStatus("appa", 1, ModuleKind.MIRROR, state.get()));
  }

  @Override
  public Optional<ModuleStatus> module(String name) {
    return modules().stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
