package org.bulwark.shell.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * Whether a node has finished starting, decided from one look at the framework ({@link Snapshot}):
 * a pure function, so that every way of being not quite started is a table row in a test.
 *
 * <p>Each rule closes a window in which {@code bin/bulwark start} used to return while a command
 * was still missing (docs/troubleshooting.md, "after kill -9"):
 *
 * <ul>
 *   <li>The start level is compared with Karaf's real beginning level: Karaf gives the framework
 *       its lock level (1) as {@code org.osgi.framework.startlevel.beginning} and keeps the level
 *       of {@code etc/config.properties} in the system property of that name ({@link
 *       #targetStartLevel}).
 *   <li>A component enabled by default that is not enabled yet is missing: SCR registers the
 *       components of a bundle that just started, and enables them one by one afterwards on the
 *       same thread; until then they have no configuration, and a component that has none was taken
 *       for "nothing to wait for".
 *   <li>A component that provides a service counts once its service is registered (the verbs of
 *       {@code safekit} are services), an immediate one once it is active.
 *   <li>Karaf's boot features are deployed: after an unclean stop the features service may deploy
 *       them again, and a deployment may restart bundles; its {@code BootFinished} service comes
 *       once it is over.
 * </ul>
 */
final class Readiness {
  private Readiness() {}

  /** What the framework showed at one moment. */
  record Snapshot(
      int startLevel,
      int targetStartLevel,
      BootFeatures bootFeatures,
      List<BundleView> bundles,
      List<ComponentView> components) {}

  /** Karaf's boot features: no features service (a bare framework), deploying, or deployed. */
  enum BootFeatures {
    NOT_USED,
    DEPLOYING,
    DEPLOYED
  }

  /**
   * One bundle: its state's name ({@code ACTIVE}, {@code STARTING} …), {@code declaredComponents}
   * from its {@code Service-Component} header, {@code loadedComponents} that SCR knows of.
   */
  record BundleView(
      String name, boolean fragment, String state, int declaredComponents, int loadedComponents) {
    boolean active() {
      return state.equals("ACTIVE");
    }
  }

  /** One component description and its configurations ({@link ComponentConfigurationDTO}). */
  record ComponentView(
      String name,
      boolean enabledByDefault,
      boolean enabled,
      boolean immediate,
      boolean providesService,
      boolean configurationRequired,
      List<ConfigurationView> configurations) {}

  /** One configuration of a component: its DTO state, and whether its service is registered. */
  record ConfigurationView(int state, boolean serviceRegistered) {}

  /**
   * The start level the framework is going to: Karaf's beginning level. Under Karaf the framework
   * property says 1 (Karaf raises the level itself once it holds its lock) and the system property
   * the real level; elsewhere both are the same, or only the framework property is set.
   */
  static int targetStartLevel(String frameworkProperty, String systemProperty) {
    return Math.max(level(frameworkProperty), level(systemProperty));
  }

  private static int level(String value) {
    if (value == null || value.isBlank()) {
      return 1;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** What is not up yet, in words for {@code safekit node-ready}; empty once the node is up. */
  static List<String> missing(Snapshot s) {
    List<String> missing = new ArrayList<>();
    if (s.startLevel() < s.targetStartLevel()) {
      missing.add("start level " + s.startLevel() + " of " + s.targetStartLevel());
    }
    if (s.bootFeatures() == BootFeatures.DEPLOYING) {
      missing.add("Karaf boot features still deploying");
    }
    for (BundleView b : s.bundles()) {
      if (b.fragment()) {
        continue;
      }
      if (!b.active()) {
        // the state tells a start that failed (RESOLVED) from one still running (STARTING)
        missing.add("bundle " + b.name() + " not active (" + b.state() + ")");
      } else if (b.loadedComponents() < b.declaredComponents()) {
        // SCR reads a bundle's components after the bundle starts
        missing.add(
            "bundle "
                + b.name()
                + ": "
                + b.loadedComponents()
                + " of "
                + b.declaredComponents()
                + " components loaded");
      }
    }
    for (ComponentView c : s.components()) {
      missing.addAll(missing(c));
    }
    return missing;
  }

  private static List<String> missing(ComponentView c) {
    String name = "component " + c.name();
    if (!c.enabled()) {
      // a component disabled on purpose is not waited for; one SCR has not enabled yet is
      return c.enabledByDefault() ? List.of(name + " not enabled yet") : List.of();
    }
    if (c.configurations().isEmpty()) {
      // SCR creates the configuration of an enabled component right away, unless it waits for
      // a configuration it requires
      return c.configurationRequired() ? List.of() : List.of(name + " has no configuration yet");
    }
    List<String> missing = new ArrayList<>();
    for (ConfigurationView config : c.configurations()) {
      int state = config.state();
      if (state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
          || state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
          || state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
        missing.add(name + " not satisfied");
      } else if (c.immediate() && state != ComponentConfigurationDTO.ACTIVE) {
        missing.add(name + " not active yet");
      } else if (state != ComponentConfigurationDTO.ACTIVE
          && state != ComponentConfigurationDTO.SATISFIED) {
        missing.add(name + " not satisfied yet");
      } else if (c.providesService() && !config.serviceRegistered()) {
        missing.add(name + ": service not registered yet");
      }
    }
    return missing;
  }
}
