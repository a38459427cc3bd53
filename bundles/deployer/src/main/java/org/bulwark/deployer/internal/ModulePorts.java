package org.bulwark.deployer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.deploy.ModulePort;

/**
 * The ports of a module (spec G.9): fixed safeadmin UDP 4800 and web 9010, then from the module id:
 * heart UDP {@code 8888 + (id−1)}, replication TCP {@code 5600 + (id−1)×4} (mirror), farm
 * membership UDP {@code 4803 + (id−1)×3} (farm). A port set in {@code userconfig.xml} wins.
 */
final class ModulePorts {

  static final int SAFEADMIN = 4800;
  static final int WEBCONSOLE = 9010;

  private ModulePorts() {}

  static int heart(int id) {
    return 8888 + (id - 1);
  }

  static int rfs(int id) {
    return 5600 + (id - 1) * 4;
  }

  static int farm(int id) {
    return 4803 + (id - 1) * 3;
  }

  /** Every port a module with this id would use, whatever its mode ({@code getports -i id}). */
  static List<ModulePort> forId(int id) {
    List<ModulePort> ports = fixed();
    ports.add(new ModulePort("heart", "port", "UDP", heart(id)));
    ports.add(new ModulePort("rfs", "safenfs_port", "TCP", rfs(id)));
    ports.add(new ModulePort("farm", "port", "UDP", farm(id)));
    return ports;
  }

  /**
   * The ports of a module by its mode: mirror heart and rfs, farm membership, light only the fixed
   * ones. Without a valid configuration, every port the id implies.
   */
  static List<ModulePort> forModule(int id, Optional<ModuleConfig> config) {
    if (config.isEmpty()) {
      return forId(id);
    }
    ModuleConfig module = config.get();
    List<ModulePort> ports = fixed();
    switch (module.mode()) {
      case MIRROR -> {
        int heart = module.heart().map(h -> h.effectivePort(id)).orElse(heart(id));
        ports.add(new ModulePort("heart", "port", "UDP", heart));
        if (module.rfs().isPresent()) {
          ports.add(new ModulePort("rfs", "safenfs_port", "TCP", rfs(id)));
        }
      }
      case FARM -> {
        int farm = module.farm().map(f -> f.effectivePort(id)).orElse(farm(id));
        ports.add(new ModulePort("farm", "port", "UDP", farm));
      }
      case LIGHT -> {
        // a light module talks to no other node: only the node's own ports
      }
    }
    return ports;
  }

  private static List<ModulePort> fixed() {
    List<ModulePort> ports = new ArrayList<>();
    ports.add(new ModulePort("safeadmin", "port", "UDP", SAFEADMIN));
    ports.add(new ModulePort("webconsole", "port", "TCP", WEBCONSOLE));
    return ports;
  }
}
