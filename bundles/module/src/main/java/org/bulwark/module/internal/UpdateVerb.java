package org.bulwark.module.internal;

import java.time.Duration;
import java.util.function.Function;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit update -m AM} (spec F.3, E.1): the module's {@code update} script, in UP or ALONE
 * Ready; its exit code is the command's.
 */
final class UpdateVerb implements CliVerb {

  /** How long the command waits for the script (the spec gives no bound). */
  static final Duration LIMIT = Duration.ofMinutes(5);

  private final Function<CliRequest, ModuleRuntime> modules;

  UpdateVerb(Function<CliRequest, ModuleRuntime> modules) {
    this.modules = modules;
  }

  @Override
  public String name() {
    return "update";
  }

  @Override
  public String summary() {
    return "run the module's update script (UP or ALONE Ready)";
  }

  @Override
  public String usage() {
    return "Usage: safekit update -m AM\n"
        + "  Runs the module's update script with the stable state twice (spec E.1); exits with"
        + " its code.";
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    new Args(request.args()).end();
    ModuleRuntime module = modules.apply(request);
    int code = ModuleVerbs.within(module.update(request.actor()), LIMIT, "end its update script");
    if (code != 0) {
      out.err().println("Error: the update script exited with code " + code);
      return CliExit.FAILED;
    }
    return CliExit.OK;
  }
}
