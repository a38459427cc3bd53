package org.bulwark.api.vip;

import org.osgi.annotation.versioning.ProviderType;

/** Virtual IPs of mirror modules: one {@link ModuleVip} per module with a {@code <vip>}. */
@ProviderType
public interface VipService {

  /**
   * Prepares the virtual IPs of one module; nothing is set until the runtime asks. What a previous
   * run of the module left set (a node process killed while primary) is removed here: the addresses
   * that both the module's record of what it set and its configuration name, nothing else.
   *
   * @param events where the module's VIP reports; called from the service's threads, it must only
   *     hand the event over
   */
  ModuleVip open(VipSetup setup, VipEvents events);
}
