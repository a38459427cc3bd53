package org.bulwark.shell.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.shell.internal.Readiness.BootFeatures;
import org.bulwark.shell.internal.Readiness.BundleView;
import org.bulwark.shell.internal.Readiness.ComponentView;
import org.bulwark.shell.internal.Readiness.ConfigurationView;
import org.bulwark.shell.internal.Readiness.Snapshot;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * {@code safekit node-ready} (Bulwark's own): exit 0 once the node has finished starting — the
 * framework at Karaf's beginning start level, Karaf's boot features deployed, every bundle active,
 * every component enabled, satisfied and its service registered — and otherwise 1 with what is
 * missing. {@code bin/bulwark start} waits on it, so that scripts and tests that follow find every
 * command in place. The rules are {@link Readiness}'s; this class only looks at the framework.
 */
@Component(service = CliVerb.class)
public final class ReadyVerb implements CliVerb {
  /** Registered by Karaf's features service once its boot features are deployed. */
  static final String BOOT_FINISHED = "org.apache.karaf.features.BootFinished";

  static final String FEATURES_SERVICE_BUNDLE = "org.apache.karaf.features.core";

  private final BundleContext context;
  private final ServiceComponentRuntime scr;

  @Activate
  public ReadyVerb(BundleContext context, @Reference ServiceComponentRuntime scr) {
    this.context = context;
    this.scr = scr;
  }

  @Override
  public String name() {
    return "node-ready";
  }

  @Override
  public String summary() {
    return "exit 0 once every bundle and component of this node is up";
  }

  @Override
  public String usage() {
    return "Usage: safekit node-ready\n"
        + "  Exit 0 when the node has finished starting; otherwise exit 1 and name what is not"
        + " up yet.";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    List<String> missing = Readiness.missing(snapshot());
    if (missing.isEmpty()) {
      out.out().println("ready");
      return CliExit.OK;
    }
    missing.forEach(m -> out.out().println("not ready: " + m));
    return CliExit.FAILED;
  }

  Snapshot snapshot() {
    int level = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
    int target =
        Readiness.targetStartLevel(
            context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL),
            System.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL));
    List<BundleView> bundles = new ArrayList<>();
    boolean featuresService = false;
    for (Bundle b : context.getBundles()) {
      featuresService |= FEATURES_SERVICE_BUNDLE.equals(b.getSymbolicName());
      bundles.add(bundle(b));
    }
    BootFeatures boot =
        !featuresService
            ? BootFeatures.NOT_USED
            : context.getServiceReference(BOOT_FINISHED) != null
                ? BootFeatures.DEPLOYED
                : BootFeatures.DEPLOYING;
    List<ComponentView> components = new ArrayList<>();
    for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
      components.add(component(d));
    }
    return new Snapshot(level, target, boot, bundles, components);
  }

  private BundleView bundle(Bundle b) {
    boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    String declared = b.getHeaders().get("Service-Component");
    int expected = declared == null || declared.isBlank() ? 0 : declared.split(",").length;
    int known = expected == 0 ? 0 : scr.getComponentDescriptionDTOs(b).size();
    return new BundleView(b.getSymbolicName(), fragment, stateName(b.getState()), expected, known);
  }

  private static String stateName(int state) {
    return switch (state) {
      case Bundle.ACTIVE -> "ACTIVE";
      case Bundle.STARTING -> "STARTING";
      case Bundle.STOPPING -> "STOPPING";
      case Bundle.RESOLVED -> "RESOLVED";
      case Bundle.INSTALLED -> "INSTALLED";
      default -> "UNINSTALLED";
    };
  }

  private ComponentView component(ComponentDescriptionDTO d) {
    boolean providesService = d.serviceInterfaces != null && d.serviceInterfaces.length > 0;
    List<ConfigurationView> configurations = new ArrayList<>();
    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
      configurations.add(new ConfigurationView(c.state, providesService && registered(c)));
    }
    return new ComponentView(
        d.name,
        d.defaultEnabled,
        scr.isComponentEnabled(d),
        d.immediate,
        providesService,
        "require".equals(d.configurationPolicy),
        configurations);
  }

  /**
   * Whether the framework has the service of this configuration: asked of the framework itself, by
   * the component.id SCR gives it, rather than read from the DTO.
   */
  private boolean registered(ComponentConfigurationDTO c) {
    String filter = "(" + ComponentConstants.COMPONENT_ID + "=" + c.id + ")";
    try {
      return context.getAllServiceReferences(null, filter) != null;
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(filter, e);
    }
  }
}
