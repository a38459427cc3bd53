package org.bulwark.shell.internal;

import java.util.Map;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code safekit -p}: the node's directories as {@code NAME=value} lines (spec F.1, E.2). */
@Component(service = CliVerb.class)
public final class PathsVerb implements CliVerb {
  private final NodeEnvironment env;

  @Activate
  public PathsVerb(@Reference NodeEnvironment env) {
    this.env = env;
  }

  @Override
  public String name() {
    return "-p";
  }

  @Override
  public String summary() {
    return "print SAFE, SAFEVAR, SAFEBIN and the other directories";
  }

  @Override
  public String usage() {
    return "Usage: safekit -p [-m AM]\n"
        + "  Prints the directories of this node, and with -m those of the module's scripts.";
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    Map<String, String> dirs =
        request.module() == null
            ? env.directories().globalEnvironment()
            : env.directories().scriptEnvironment(request.module());
    dirs.forEach((k, v) -> out.out().println(k + "=" + v));
    return CliExit.OK;
  }
}
