package org.bulwark.module.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ServiceConfig;

/**
 * What a configuration applied to a running module changes (spec B.0, the deployer has checked that
 * every change is dynamic). The module keeps running: its scripts' environment and user logs
 * ({@code <user>}), stop timeouts, boot setting, process monitoring and checkers ({@code <errd>},
 * {@code <check>}: their session is opened again) take effect at once; the rest of what B.0 lets
 * change ({@code maxloop}, heartbeats, replication tuning) is kept for the module's next start, and
 * the log says so.
 */
record LiveConfig(List<String> now, List<String> atNextStart) {

  static LiveConfig between(ModuleConfig before, ModuleConfig after) {
    List<String> now = new ArrayList<>();
    List<String> later = new ArrayList<>();
    ServiceConfig a = before.service();
    ServiceConfig b = after.service();
    add(now, "service@boot", a.boot(), b.boot());
    add(now, "user", before.user(), after.user());
    add(later, "service@boot_delay", a.bootDelay(), b.bootDelay());
    add(later, "service@maxloop", a.maxloop(), b.maxloop());
    add(later, "service@loop_interval", a.loopInterval(), b.loopInterval());
    add(later, "service@automatic_reboot", a.automaticReboot(), b.automaticReboot());
    add(later, "heart", before.heart(), after.heart());
    add(later, "rfs", before.rfs(), after.rfs());
    add(now, "errd", before.errd(), after.errd());
    add(now, "check", before.check(), after.check());
    return new LiveConfig(List.copyOf(now), List.copyOf(later));
  }

  private static void add(List<String> into, String name, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      into.add(name);
    }
  }

  /** The module log's line for this reconfiguration. */
  String message() {
    if (now.isEmpty() && atNextStart.isEmpty()) {
      return "Configuration applied while running: no change";
    }
    StringBuilder m = new StringBuilder("Configuration applied while running");
    if (!now.isEmpty()) {
      m.append(": ").append(String.join(", ", now)).append(" in effect now");
    }
    if (!atNextStart.isEmpty()) {
      m.append(now.isEmpty() ? ": " : "; ")
          .append(String.join(", ", atNextStart))
          .append(" at the module's next start");
    }
    return m.toString();
  }
}
