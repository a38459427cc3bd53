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
}
