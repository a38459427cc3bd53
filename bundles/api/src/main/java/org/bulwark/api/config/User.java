package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code <user>} element (spec B.8). Whole subtree dynamic.
 *
 * @param nicestoptimeout max duration of {@code stop_xx} (default 300 s)
 * @param forcestoptimeout max duration of {@code stop_xx force} (default 300 s)
 * @param userlog whether script output goes to user logs ({@code logging="userlog"}, default)
 * @param userlogsize user log size limit in KB (default 2048)
 * @param vars environment variables exported to every script, in file order
 */
public record User(
    Duration nicestoptimeout,
    Duration forcestoptimeout,
    boolean userlog,
    int userlogsize,
    List<Var> vars) {

  public User {
    Objects.requireNonNull(nicestoptimeout);
    Objects.requireNonNull(forcestoptimeout);
    vars = List.copyOf(vars);
  }

  /** {@code <var name value>}. */
  public record Var(String name, String value) {}
}
