package org.bulwark.api.env;

import org.osgi.annotation.versioning.ProviderType;

/** What a node knows about itself: its directories, version and host. */
@ProviderType
public interface NodeEnvironment {

  /** The node's directories. */
  SafeDirectories directories();

  /** The product version, as {@code safekit level} prints it. */
  String version();

  /** The host name of this node. */
  String hostName();

  /** The address every node service binds to ({@code BULWARK_ADDR}, default 127.0.0.1). */
  String bindAddress();
}
