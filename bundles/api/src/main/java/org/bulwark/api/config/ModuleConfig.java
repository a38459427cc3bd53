package org.bulwark.api.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code userconfig.xml} (spec B), macros expanded and defaults applied.
 *
 * @param moduleName the module (AM)
 * @param moduleId the module id from the context, 0 when unknown
 * @param macros the {@code <macro>} definitions, in file order (spec B.2)
 * @param service the {@code <service>} attributes (spec B.3)
 * @param heart heartbeats, mirror only (spec B.4)
 * @param farm farm membership, farm only (spec B.5)
 * @param vip virtual IP and load balancing (spec B.6)
 * @param rfs file replication, mirror only (spec B.7)
 * @param user scripts and their variables; without it no script runs (spec B.8)
 * @param vhost virtual host names (spec B.9)
 * @param errd process monitoring (spec B.10)
 * @param check checkers; empty when the file has no {@code <check>} (spec B.11–B.18)
 * @param failover the failover machine's settings and rules text (spec B.19)
 */
public record ModuleConfig(
    String moduleName,
    int moduleId,
    Map<String, String> macros,
    ServiceConfig service,
    Optional<Heart> heart,
    Optional<Farm> farm,
    Optional<Vip> vip,
    Optional<Rfs> rfs,
    Optional<User> user,
    Optional<Vhost> vhost,
    Optional<Errd> errd,
    Check check,
    Optional<Failover> failover) {

  public ModuleConfig {
    Objects.requireNonNull(moduleName, "moduleName");
    macros = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(macros));
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(check, "check");
    for (Optional<?> part : List.of(heart, farm, vip, rfs, user, vhost, errd, failover)) {
      Objects.requireNonNull(part);
    }
  }

  /** The mode of the module. */
  public ServiceConfig.Mode mode() {
    return service.mode();
  }

  /** Whether module scripts run at all (spec B.8: not without {@code <user>}). */
  public boolean runsScripts() {
    return user.isPresent();
  }
}
