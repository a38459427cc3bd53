package org.bulwark.api.checker;

import java.util.List;
import org.bulwark.api.module.LocalState;

/** The running checks of one module, fed by its runtime. */
public interface CheckerSession extends AutoCloseable {
  /** The module's local state changed: the checks of the phases it begins start, others stop. */
  void state(LocalState state);

  /**
   * A resource was set by someone else; the session follows {@code usersetting.checker} and {@code
   * usersetting.errd} (spec F.3).
   */
  void resourceSet(String resource, String value);

  /** {@code safekit errd enable|disable <class>} (spec B.10); false when no check has the class. */
  default boolean enable(String phase, boolean on) {
    return false;
  }

  /** One line per check: resource, phase, whether it runs now, its value. */
  default List<String> list() {
    return List.of();
  }

  /** Stops every check; nothing is set after it returns. */
  @Override
  void close();

  /** A session with no checks, for modules opened without a checker service. */
  CheckerSession NONE =
      new CheckerSession() {
        @Override
        public void state(LocalState state) {}

        @Override
        public void resourceSet(String resource, String value) {}

        @Override
        public void close() {}
      };
}
