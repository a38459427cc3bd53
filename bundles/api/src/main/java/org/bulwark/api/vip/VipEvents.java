package org.bulwark.api.vip;

import org.bulwark.api.store.EventLevel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the virtual IPs of a module report to its runtime. Calls come from the service's threads: an
 * implementation only hands them over.
 */
@ConsumerType
public interface VipEvents {

  /** A line for the module log, with the spec's wording ({@code Virtual IP <vip> set}, G.6). */
  void log(EventLevel level, String component, String message);

  /**
   * A resource of the VIP changed: {@code ip.<vip>} {@code up} once set, {@code down} when the
   * address left its interface (spec B.15, {@code virtual_addr@check}, by {@code ipcheck}); {@code
   * connections.<vip>}, the number of its TCP connections ({@code virtual_addr@connections}, by
   * {@code vipplug}).
   */
  default void resource(String name, String value, String by) {}

  /**
   * The predefined failover rule {@code rule} fires: {@code ip_failure}, a VIP no longer set here
   * while primary, asks a {@code stopstart} (spec B.15).
   */
  default void stopstart(String rule) {}
}
