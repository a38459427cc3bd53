package org.bulwark.api.deploy;

import java.util.Objects;

/**
 * One port a module uses (spec G.9), printed by {@code safekit module getports} as {@code service
 * name protocol port}: {@code heart port UDP 8888}, {@code rfs safenfs_port TCP 5600}.
 *
 * @param service the component: {@code safeadmin}, {@code webconsole}, {@code heart}, {@code rfs},
 *     {@code farm}
 * @param name the port's name: {@code port}, {@code safenfs_port}
 * @param protocol {@code UDP} or {@code TCP}
 * @param port the port number
 */
public record ModulePort(String service, String name, String protocol, int port) {

  public ModulePort {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
  }

  /** The line {@code module getports} prints. */
  public String format() {
    return service + " " + name + " " + protocol + " " + port;
  }
}
