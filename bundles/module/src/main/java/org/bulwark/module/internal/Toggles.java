package org.bulwark.module.internal;

import java.util.List;
import java.util.Map;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;

/**
 * The persistent maintenance toggles of spec F.3 ({@code failover|checker|errd|boot on|off}),
 * resources {@code usersetting.*}. They are allowed while the module is stopped, survive restarts
 * of the module and of the node (they live in the resource table, and the failover one is read back
 * when the module is loaded), and are put back only by the opposite command or by applying the
 * configuration again: then {@code checker} and {@code errd} are on again and {@code failover} is
 * the configuration's {@code <service failover>}. {@code boot} is not put back: with {@code
 * boot="ignore"} (the default) the toggle is the only place the boot setting lives, and with {@code
 * on} or {@code off} the configuration wins anyway (spec B.3).
 */
final class Toggles {
  /**
   * Who puts the toggles back, in the log: {@code Resource usersetting.errd set to on by config}.
   */
  static final String BY = "config";

  /** The toggles the configuration turns back on. */
  static final List<String> BACK_ON = List.of("usersetting.checker", "usersetting.errd");

  private Toggles() {}

  /** The failover setting a module is loaded with: the toggle if given, else the configuration. */
  static boolean failover(Map<String, String> resources, boolean configured) {
    String recorded = resources.get("usersetting.failover");
    return recorded == null ? configured : recorded.equals("on");
  }

  /**
   * A configuration was applied to {@code runtime} (a stopped module loaded again, or a running one
   * reconfigured, spec B.0): the toggles go back to what it says. Only what differs is set, so a
   * module with no toggle given logs nothing.
   */
  static void applied(ModuleRuntime runtime, ModuleConfig config) {
    applied(runtime, config.service().failover());
  }

  /** The same, with the configuration's {@code <service failover>}. */
  static void applied(ModuleRuntime runtime, boolean configuredFailover) {
    Map<String, String> now = runtime.resources();
    for (String toggle : BACK_ON) {
      if ("off".equals(now.get(toggle))) {
        runtime.setResource(toggle, "on", BY);
      }
    }
    if (runtime.kind == ModuleKind.MIRROR) {
      boolean configured = configuredFailover;
      String recorded = now.get("usersetting.failover");
      if (recorded != null && !recorded.equals(configured ? "on" : "off")) {
        runtime.command(configured ? Verb.FAILOVER_ON : Verb.FAILOVER_OFF, Origin.admin(BY), "");
      }
    }
  }
}
