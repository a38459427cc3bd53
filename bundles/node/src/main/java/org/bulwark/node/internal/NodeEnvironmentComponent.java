package org.bulwark.node.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Publishes the node's identity. The install root is the Karaf home unless {@code SAFE} says
 * otherwise; the bind address comes from {@code BULWARK_ADDR} (the {@code bulwark.addr} system
 * property set by {@code bin/bulwark}), so that several nodes share one machine on distinct
 * loopback addresses.
 */
@Component(service = NodeEnvironment.class, immediate = true)
public final class NodeEnvironmentComponent implements NodeEnvironment {

  private final SafeDirectories directories;
  private final String version;
  private final String hostName;
  private final String bindAddress;

  @Activate
  public NodeEnvironmentComponent(BundleContext context) {
    this(
        NodeSettings.from(System.getenv(), System::getProperty),
        context.getBundle().getVersion().toString());
  }

  NodeEnvironmentComponent(NodeSettings settings, String version) {
    this.directories = settings.directories();
    this.bindAddress = settings.bindAddress();
    this.version = version;
    this.hostName = localHostName();
  }

  @Override
  public SafeDirectories directories() {
    return directories;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String hostName() {
    return hostName;
  }

  @Override
  public String bindAddress() {
    return bindAddress;
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "localhost" : env;
    }
  }
}
