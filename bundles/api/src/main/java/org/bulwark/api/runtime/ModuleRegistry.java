package org.bulwark.api.runtime;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The modules running on this node, as the module runtime sees them now. */
@ProviderType
public interface ModuleRegistry {

  /** Every installed and configured module, by name. */
  List<ModuleStatus> modules();

  /** One module, if it is installed and configured here. */
  Optional<ModuleStatus> module(String name);
}
