package org.bulwark.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which changes a running module may take (spec B.0 "dynamic configuration"): {@code <service>}
 * boot, boot_delay, maxloop, loop_interval, automatic_reboot; {@code <heart>}; {@code <rfs>} async,
 * nbrei, reitimeout, reidetail, {@code <flow>}; {@code <user>}; {@code <errd>}; {@code <check>}.
 * Everything else needs the module stopped. The XSD marks the same attributes with {@code
 * bw:dynamic="true"}.
 */
public final class Dynamic {

  /** Attributes that may change while the module runs, as {@code element@attribute}. */
  public static final Set<String> ATTRIBUTES =
      Set.of(
          "service@boot",
          "service@boot_delay",
          "service@maxloop",
          "service@loop_interval",
          "service@automatic_reboot",
          "rfs@async",
          "rfs@nbrei",
          "rfs@reitimeout",
          "rfs@reidetail");

  /** Elements whose whole subtree may change while the module runs, below {@code <service>}. */
  public static final Set<String> SUBTREES = Set.of("heart", "user", "errd", "check", "rfs/flow");

  private Dynamic() {}

  /**
   * Whether an attribute may change while the module runs; {@code path} is below {@code <service>}
   * ({@code heart/heartbeat@pulse}, {@code rfs@nbrei}) or {@code service@boot}.
   */
  public static boolean isDynamic(String path) {
    if (ATTRIBUTES.contains(path)) {
      return true;
    }
    for (String subtree : SUBTREES) {
      if (path.startsWith(subtree + "@") || path.startsWith(subtree + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The parts that differ between two configurations of one module and may not change while it
   * runs, as element paths ({@code /safe/service/vip}); empty when {@code next} can be applied
   * dynamically.
   */
  public static List<String> staticChanges(ModuleConfig current, ModuleConfig next) {
    List<String> changes = new ArrayList<>();
    ServiceConfig a = current.service();
    ServiceConfig b = next.service();
    if (a.mode() != b.mode()) {
      changes.add("/safe/service/@mode");
    }
    if (a.failover() != b.failover()) {
      changes.add("/safe/service/@failover");
    }
    if (!a.defaultPrim().equals(b.defaultPrim())) {
      changes.add("/safe/service/@defaultprim");
    }
    differs(changes, "farm", current.farm(), next.farm());
    differs(changes, "vip", current.vip(), next.vip());
    differs(
        changes,
        "rfs",
        current.rfs().map(Rfs::withoutDynamic),
        next.rfs().map(Rfs::withoutDynamic));
    differs(changes, "vhost", current.vhost(), next.vhost());
    differs(
        changes,
        "failover",
        current.failover().map(Dynamic::rules),
        next.failover().map(Dynamic::rules));
    return changes;
  }

  private static Object rules(Failover failover) {
    return List.of(
        failover.extendsDefaults(),
        failover.period(),
        failover.handleTime(),
        failover.sections().stream().map(Failover.RuleSection::text).toList());
  }

  private static void differs(List<String> changes, String element, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      changes.add("/safe/service/" + element);
    }
  }
}
