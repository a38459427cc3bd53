package org.bulwark.config.internal.cli;

import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit confcheck -m AM} (spec F.5): validates {@code SAFE/modules/AM/conf/userconfig.xml}
 * without applying it. The module's own {@code confcheck} script is the module runtime's part.
 */
@Component(service = CliVerb.class)
public final class ConfcheckVerb implements CliVerb {

  private final ConfigService config;
  private final NodeEnvironment node;

  @Activate
  public ConfcheckVerb(@Reference ConfigService config, @Reference NodeEnvironment node) {
    this.config = config;
    this.node = node;
  }

  @Override
  public String name() {
    return "confcheck";
  }

  @Override
  public String summary() {
    return "check a module's configuration without applying it";
  }

  @Override
  public String usage() {
    return "usage: safekit confcheck -m AM";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    Optional<String> module = ModuleConfigVerbs.module(request, out, usage());
    if (module.isEmpty()) {
      return CliExit.USAGE;
    }
    if (!request.args().isEmpty()) {
      out.err().println("unexpected argument '" + request.args().get(0) + "'");
      out.err().println(usage());
      return CliExit.USAGE;
    }
    ConfigResult<ModuleConfig> result =
        ModuleConfigVerbs.parse(config, node, module.get(), request);
    if (result instanceof ConfigResult.Valid<ModuleConfig> valid) {
      out.out()
          .println(
              module.get()
                  + ": configuration is valid ("
                  + valid.model().mode().name().toLowerCase(java.util.Locale.ROOT)
                  + " module)");
    } else {
      ConfigFiles.printErrors(out, result.errors());
    }
    return ModuleConfigVerbs.exitOf(result);
  }
}
