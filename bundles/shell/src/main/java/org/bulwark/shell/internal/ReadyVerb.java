package org.bulwark.shell.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * {@code safekit node-ready} (Bulwark's own): exit 0 once the node has finished starting — the
 * framework at its beginning start level, every bundle active, every component satisfied — and
 * otherwise 1 with what is missing. {@code bin/bulwark start} waits on it, so that scripts and
 * tests that follow find every command in place.
 */
@Component(service = CliVerb.class)
public final class ReadyVerb implements CliVerb {
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
    List<String> missing = missing();
    if (missing.isEmpty()) {
      out.out().println("ready");
      return CliExit.OK;
    }
    missing.forEach(m -> out.out().println("not ready: " + m));
    return CliExit.FAILED;
  }

  List<String> missing() {
    List<String> missing = new ArrayList<>();
    Bundle system = context.getBundle(0);
    String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
    int target = beginning == null ? 1 : Integer.parseInt(beginning.trim());
    int level = system.adapt(FrameworkStartLevel.class).getStartLevel();
    if (level < target) {
      missing.add("start level " + level + " of " + target);
    }
    for (Bundle b : context.getBundles()) {
      boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
      if (!fragment && b.getState() != Bundle.ACTIVE) {
        missing.add("bundle " + b.getSymbolicName() + " not active");
        continue;
      }
      // SCR reads a bundle's components on its own thread after the bundle starts
      String declared = b.getHeaders().get("Service-Component");
      if (!fragment && declared != null && !declared.isBlank()) {
        int expected = declared.split(",").length;
        int known = scr.getComponentDescriptionDTOs(b).size();
        if (known < expected) {
          missing.add(
              "bundle "
                  + b.getSymbolicName()
                  + ": "
                  + known
                  + " of "
                  + expected
                  + " components loaded");
        }
      }
    }
    for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
      if (!scr.isComponentEnabled(d)) {
        continue;
      }
      for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
        if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
            || c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
            || c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
          missing.add("component " + d.name + " not satisfied");
        } else if (d.immediate && c.state != ComponentConfigurationDTO.ACTIVE) {
          // SCR activates immediate components on its own thread: not done yet
          missing.add("component " + d.name + " not active yet");
        }
      }
    }
    return missing;
  }
}
