package org.bulwark.config.internal.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.User;
import org.bulwark.api.env.AttachedScript;
import org.bulwark.api.env.NodeEnvironment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit confcheck -m AM} (spec F.5): validates {@code SAFE/modules/AM/conf/userconfig.xml}
 * without applying it, then runs the module's own {@code confcheck} script (spec E.1).
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

  /** Bound on the module's confcheck script; the spec gives none (spec E.2 gap). */
  static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * The module's own {@code confcheck} script, from {@code SAFE/modules/AM/bin} (the configuration
   * being checked, not the applied one), when the module has {@code <user>} (spec E.1, B.8): its
   * output is the command's, and a non-zero exit fails the check.
   */
  private int moduleScript(String module, ModuleConfig model, CliOutput out) throws Exception {
    Path script = node.directories().modules().resolve(module).resolve("bin").resolve("confcheck");
    if (model.user().isEmpty()) {
      return CliExit.OK;
    }
    Map<String, String> env = new HashMap<>(node.directories().scriptEnvironment(module));
    for (User.Var var : model.user().get().vars()) {
      env.put(var.name(), var.value());
    }
    return new AttachedScript(script, env, SCRIPT_TIMEOUT).runFor(module, out);
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
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
      return moduleScript(module.get(), valid.model(), out);
    } else {
      ConfigFiles.printErrors(out, result.errors());
    }
    return ModuleConfigVerbs.exitOf(result);
  }
}
