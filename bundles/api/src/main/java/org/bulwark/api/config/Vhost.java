package org.bulwark.api.config;

import java.util.List;

/** The {@code <vhost>} element (spec B.9). Not dynamic. */
public record Vhost(List<VirtualHostName> names) {

  public Vhost {
    names = List.copyOf(names);
  }

  /** {@code <virtualhostname name envfile when>}; {@code when} is prim, second or both. */
  public record VirtualHostName(String name, String envfile, Check.When when) {}
}
