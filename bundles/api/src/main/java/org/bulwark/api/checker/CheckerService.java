package org.bulwark.api.checker;

/** The checker executor: opens the checks of a module (every provider's) against its runtime. */
public interface CheckerService {
  CheckerSession open(CheckerContext context, CheckerTarget target);
}
