package org.bulwark.api.checker;

import java.util.List;

/**
 * The SPI of one checker type, a DS service of its own bundle (one bundle per checker, DESIGN): it
 * reads its part of a module's configuration and returns the checks to run. It keeps no state of
 * its own about modules and never acts.
 */
public interface CheckerProvider {
  /** The checker's name in the docs and in {@code safekit errd list}-like listings, e.g. tcp. */
  String type();

  /** The checks of this type that the module's configuration asks for, empty when none. */
  List<Watch> checks(CheckerContext context);
}
