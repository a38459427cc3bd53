package org.bulwark.module.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerService;
import org.bulwark.api.checker.CheckerTarget;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.store.EventLevel;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;

/**
 * A module's checks (spec B.10–B.18) opened on the checker executor, and the module as their {@link
 * CheckerTarget}: resources set through {@link ModuleRuntime#setResource}, errd's actions run as
 * commands of origin {@code -i errd} (they count for maxloop, spec B.3). The checker resources that
 * the failover machine acts on are only set here, never acted on.
 */
final class CheckerWiring {
  private CheckerWiring() {}

  /** Opens the checks of {@code config} on {@code runtime}, replacing those it had. */
  static void open(
      Optional<CheckerService> service,
      ModuleConfig config,
      Path bin,
      Map<String, String> environment,
      ModuleRuntime runtime,
      Journal journal) {
    if (service.isEmpty()) {
      return;
    }
    runtime.checkWith(
        service.get().open(new CheckerContext(config, bin, environment), target(runtime, journal)));
  }

  static CheckerTarget target(ModuleRuntime runtime, Journal journal) {
    return new CheckerTarget() {
      @Override
      public void resource(String resource, String value, String by) {
        runtime.setResource(resource, value, by);
      }

      @Override
      public Optional<String> current(String resource) {
        return Optional.ofNullable(runtime.resources().get(resource));
      }

      @Override
      public void log(EventLevel level, String component, String message) {
        journal.log(level, component, message);
      }

      @Override
      public void command(String verb, String identity) {
        command(verb, identity, java.util.List.of());
      }

      @Override
      public void command(String verb, String identity, java.util.List<String> services) {
        Verb v = Verb.valueOf(verb.toUpperCase(java.util.Locale.ROOT));
        runtime
            .command(v, Origin.identity(identity), "", services)
            .thenAccept(reply -> refused(journal, identity, verb, reply));
      }
    };
  }

  private static void refused(Journal journal, String identity, String verb, Action.Reply reply) {
    if (!reply.accepted()) {
      journal.log(EventLevel.W, identity, verb + " refused: " + reply.message());
    }
  }
}
