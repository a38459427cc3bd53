package org.bulwark.deployer.internal;

import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleDeployer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code safekit config -m AM}: apply {@code SAFE/modules/AM} locally (spec F.5, B.0). */
@Component(service = CliVerb.class)
public final class ConfigVerb implements CliVerb {

  private final ModuleDeployer deployer;

  @Activate
  public ConfigVerb(@Reference ModuleDeployer deployer) {
    this.deployer = deployer;
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public String summary() {
    return "apply a module's configuration (SAFE/modules/AM) on this node";
  }

  @Override
  public String usage() {
    return "usage: safekit config -m AM";
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    if (!VerbArgs.moduleOnly(request, out, usage())) {
      return CliExit.USAGE;
    }
    try {
      InstalledModule module = deployer.config(request.module());
      out.out()
          .println(
              "Module "
                  + module.name()
                  + " configured (signature "
                  + module.signature().orElse("none")
                  + ")");
      return CliExit.OK;
    } catch (DeployException e) {
      out.err().println("Error: " + e.getMessage());
      return CliExit.FAILED;
    }
  }
}
