package org.bulwark.deployer.internal;

import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.ModuleDeployer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code safekit deconfig -m AM}: remove the applied configuration, keep user files (F.5). */
@Component(service = CliVerb.class)
public final class DeconfigVerb implements CliVerb {

  private final ModuleDeployer deployer;

  @Activate
  public DeconfigVerb(@Reference ModuleDeployer deployer) {
    this.deployer = deployer;
  }

  @Override
  public String name() {
    return "deconfig";
  }

  @Override
  public String summary() {
    return "remove a module's applied configuration (keeps SAFE/modules/AM)";
  }

  @Override
  public String usage() {
    return "usage: safekit deconfig -m AM";
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    if (!VerbArgs.moduleOnly(request, out, usage())) {
      return CliExit.USAGE;
    }
    try {
      deployer.deconfig(request.module());
      out.out().println("Module " + request.module() + " deconfigured");
      return CliExit.OK;
    } catch (DeployException e) {
      out.err().println("Error: " + e.getMessage());
      return CliExit.FAILED;
    }
  }
}
