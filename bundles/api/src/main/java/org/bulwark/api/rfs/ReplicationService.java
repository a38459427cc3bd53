package org.bulwark.api.rfs;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Replication of mirror modules: one {@link ModuleReplication} per module with an {@code <rfs>}.
 */
@ProviderType
public interface ReplicationService {

  /**
   * Prepares the replication of one module; nothing is mounted, bound or connected until the
   * runtime starts a role.
   *
   * @param events where the replication reports; called from its own threads, it must only hand the
   *     event over to the module's loop
   */
  ModuleReplication open(ReplicationSetup setup, ReplicationEvents events);
}
