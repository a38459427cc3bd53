package org.bulwark.api.checker;

import java.util.Optional;
import org.bulwark.api.store.EventLevel;

/**
 * The module runtime as the checker executor sees it: where resources are set, lines logged, and
 * errd's actions carried out. Every method only hands work to the module's loop; none blocks.
 */
public interface CheckerTarget {
  /** Sets a resource and logs {@code Resource <res> set to <value> by <by>} (spec B.11). */
  void resource(String resource, String value, String by);

  /** The current value of a resource, e.g. {@code usersetting.checker}. */
  Optional<String> current(String resource);

  /** A line in the module log. */
  void log(EventLevel level, String component, String message);

  /**
   * Runs {@code restart}, {@code stopstart} or {@code stop} as a command of origin {@code -i
   * identity} ({@code Action restart called by errd}); it counts for maxloop (spec B.3).
   */
  void command(String verb, String identity);

  /**
   * A {@code restart} of errd's {@code restart_services} (spec B.10): as {@link #command(String,
   * String)}, and the scripts of the restart get {@code -Services "S1, S2"} after their arguments
   * (spec E.2). A target that cannot pass them runs the plain command.
   */
  default void command(String verb, String identity, java.util.List<String> services) {
    command(verb, identity);
  }
}
