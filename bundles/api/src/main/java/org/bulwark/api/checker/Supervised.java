package org.bulwark.api.checker;

import java.util.function.Consumer;

/**
 * A checker that is a long-running program setting its resource itself ({@code <custom>}, spec
 * B.16): the executor starts it when its phase begins and stops it when the phase ends, instead of
 * running a probe every interval.
 */
@FunctionalInterface
public interface Supervised {
  /**
   * Starts the program; {@code log} takes lines for the module log (its start, its end).
   *
   * @return what stops it; closing it ends the program and everything it started
   */
  AutoCloseable start(Consumer<String> log);
}
