package org.bulwark.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.ACTIVE;
import static org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.FAILED_ACTIVATION;
import static org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.SATISFIED;
import static org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.UNSATISFIED_REFERENCE;

import java.util.List;
import org.bulwark.shell.internal.Readiness.BootFeatures;
import org.bulwark.shell.internal.Readiness.BundleView;
import org.bulwark.shell.internal.Readiness.ComponentView;
import org.bulwark.shell.internal.Readiness.ConfigurationView;
import org.bulwark.shell.internal.Readiness.Snapshot;
import org.junit.Test;

/** The rules of {@code safekit node-ready}, one row per way of being not quite started. */
public class ReadinessTest {
  private static final BundleView MODULE = new BundleView("bulwark-module", false, "ACTIVE", 2, 2);

  /** A delayed component providing a service (a verb), satisfied and registered. */
  private static ComponentView verb(String name, ConfigurationView... configurations) {
    return new ComponentView(name, true, true, false, true, false, List.of(configurations));
  }

  private static ConfigurationView registered(int state) {
    return new ConfigurationView(state, true);
  }

  private static Snapshot node(List<BundleView> bundles, List<ComponentView> components) {
    return new Snapshot(100, 100, BootFeatures.DEPLOYED, bundles, components);
  }

  @Test
  public void karafsBeginningLevelIsTheSystemProperty() {
    // Karaf gives the framework its lock level and keeps etc/config.properties' in the system
    assertEquals(100, Readiness.targetStartLevel("1", "100"));
    assertEquals(80, Readiness.targetStartLevel("80", null));
    assertEquals(1, Readiness.targetStartLevel(null, null));
    assertEquals(1, Readiness.targetStartLevel(" ", "x"));
  }

  @Test
  public void rules() {
    ComponentView satisfiedVerb = verb("config", registered(SATISFIED));
    ComponentView activeImmediate =
        new ComponentView("extender", true, true, true, false, false, List.of(registered(ACTIVE)));
    record Row(String what, Snapshot snapshot, List<String> missing) {}
    List<Row> rows =
        List.of(
            new Row(
                "up", node(List.of(MODULE), List.of(satisfiedVerb, activeImmediate)), List.of()),
            new Row(
                "framework still below Karaf's level",
                new Snapshot(85, 100, BootFeatures.DEPLOYED, List.of(MODULE), List.of()),
                List.of("start level 85 of 100")),
            new Row(
                "boot features deploying (after an unclean stop)",
                new Snapshot(100, 100, BootFeatures.DEPLOYING, List.of(), List.of()),
                List.of("Karaf boot features still deploying")),
            new Row(
                "no features service",
                new Snapshot(100, 100, BootFeatures.NOT_USED, List.of(), List.of()),
                List.of()),
            new Row(
                "bundle starting",
                node(List.of(new BundleView("bulwark-module", false, "STARTING", 2, 0)), List.of()),
                List.of("bundle bulwark-module not active (STARTING)")),
            new Row(
                "bundle whose start failed",
                node(List.of(new BundleView("derby", false, "RESOLVED", 0, 0)), List.of()),
                List.of("bundle derby not active (RESOLVED)")),
            new Row(
                "fragment never active",
                node(List.of(new BundleView("derbytools", true, "RESOLVED", 0, 0)), List.of()),
                List.of()),
            new Row(
                "components being read",
                node(List.of(new BundleView("bulwark-module", false, "ACTIVE", 2, 1)), List.of()),
                List.of("bundle bulwark-module: 1 of 2 components loaded")),
            new Row(
                "component read, SCR has not enabled it yet",
                node(
                    List.of(MODULE),
                    List.of(
                        new ComponentView("verbs", true, false, true, false, false, List.of()))),
                List.of("component verbs not enabled yet")),
            new Row(
                "component disabled on purpose",
                node(
                    List.of(MODULE),
                    List.of(new ComponentView("off", false, false, true, true, false, List.of()))),
                List.of()),
            new Row(
                "enabled, its configuration not created yet",
                node(List.of(MODULE), List.of(verb("config"))),
                List.of("component config has no configuration yet")),
            new Row(
                "waiting for a configuration it requires",
                node(
                    List.of(MODULE),
                    List.of(new ComponentView("cfg", true, true, false, true, true, List.of()))),
                List.of()),
            new Row(
                "immediate, being activated",
                node(
                    List.of(MODULE),
                    List.of(
                        new ComponentView(
                            "extender",
                            true,
                            true,
                            true,
                            true,
                            false,
                            List.of(registered(SATISFIED))))),
                List.of("component extender not active yet")),
            new Row(
                "satisfied, service not registered yet",
                node(
                    List.of(MODULE),
                    List.of(verb("config", new ConfigurationView(SATISFIED, false)))),
                List.of("component config: service not registered yet")),
            new Row(
                "satisfied, between states",
                node(List.of(MODULE), List.of(verb("config", registered(-1)))),
                List.of("component config not satisfied yet")),
            new Row(
                "reference missing",
                node(List.of(MODULE), List.of(verb("config", registered(UNSATISFIED_REFERENCE)))),
                List.of("component config not satisfied")),
            new Row(
                "activation failed",
                node(List.of(MODULE), List.of(verb("config", registered(FAILED_ACTIVATION)))),
                List.of("component config not satisfied")));
    for (Row row : rows) {
      assertEquals(row.what(), row.missing(), Readiness.missing(row.snapshot()));
    }
  }
}
