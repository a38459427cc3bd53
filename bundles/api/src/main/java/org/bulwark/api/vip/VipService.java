package org.bulwark.api.vip;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Virtual IPs of modules: one {@link ModuleVip} per mirror module with a {@code <vip>}, one {@link
 * FarmVip} (addresses and kernel filter) per farm module.
 */
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

  /**
   * Prepares the virtual IPs and the kernel filter of one farm module; nothing is set until the
   * runtime asks. What a previous run left (a node killed with its table and addresses in place) is
   * removed here: the module's filter table, and the addresses that both its record and its
   * configuration name.
   */
  FarmVip openFarm(FarmVipSetup setup, VipEvents events);
}
