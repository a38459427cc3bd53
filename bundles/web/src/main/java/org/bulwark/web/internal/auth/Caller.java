package org.bulwark.web.internal.auth;

import java.security.Principal;
import java.util.Objects;

/**
 * Who made an API request: a user of {@code user.conf} or an API key, with its role and the
 * client's address. {@link #origin()} is what the commands log records ({@code admin@10.0.0.103},
 * spec G.7).
 *
 * @param name the user name, or the API key's logical name
 * @param role what it may do
 * @param address the client's address
 */
public record Caller(String name, Role role, String address) implements Principal {
  public Caller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(address, "address");
  }

  @Override
  public String getName() {
    return name;
  }

  /** {@code name@address}, the {@code -u} origin of the commands the caller runs. */
  public String origin() {
    return name + "@" + address;
  }
}
