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
  boolean enable(String phase, boolean on);

  /** One line per check: resource, phase, whether it runs now, its value. */
  List<String> list();

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
        public boolean enable(String phase, boolean on) {
          return false;
        }

        @Override
        public List<String> list() {
          return List.of();
        }

        @Override
        public void close() {}
      };
}
