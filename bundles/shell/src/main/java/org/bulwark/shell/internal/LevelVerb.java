package org.bulwark.shell.internal;

import java.nio.file.Files;
import java.time.Duration;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.env.AttachedScript;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit level [-m AM]}: host, OS, version and license (spec F.1), then with {@code -m AM}
 * what the module's {@code level} script prints (spec E.1).
 */
@Component(service = CliVerb.class)
public final class LevelVerb implements CliVerb {
  /** Bulwark needs no license key; it reports what SafeKit reports without one. */
  static final String LICENSE = "Demo (No license)";

  private final NodeEnvironment env;

  @Activate
  public LevelVerb(@Reference NodeEnvironment env) {
    this.env = env;
  }

  @Override
  public String name() {
    return "level";
  }

  @Override
  public String summary() {
    return "print the host, OS, product version and license";
  }

  @Override
  public String usage() {
    return "Usage: safekit level [-m AM]\n"
        + "  Prints the host name, the operating system, the product version and the license.";
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    if (!request.args().isEmpty()) {
      throw new IllegalArgumentException("unexpected argument '" + request.args().get(0) + "'");
    }
    if (request.module() != null
        && !Files.isDirectory(env.directories().modules().resolve(request.module()))) {
      out.err().println("Error: module " + request.module() + " is not installed");
      return CliExit.FAILED;
    }
    out.out().println("Host: " + env.hostName());
    out.out()
        .println(
            "OS: "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + " "
                + System.getProperty("os.arch"));
    out.out().println("Version: Bulwark " + env.version() + " (SafeKit 8.2 compatible)");
    out.out().println("License: " + LICENSE);
    return request.module() == null ? CliExit.OK : moduleLevel(request.module(), out);
  }

  /** Bound on the module's level script; the spec gives none (spec E.2 gap). */
  static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(1);

  /**
   * The module's own {@code level} script of the applied configuration (spec E.1), e.g. the
   * application's version; its output follows. It gets the script environment of spec E.2; the
   * {@code <user><var>}s it reads from {@code SAFEUSERCONF/safeconf.xml} with {@code xpathGet}, as
   * the official scripts do.
   */
  private int moduleLevel(String module, CliOutput out) throws Exception {
    SafeDirectories dirs = env.directories();
    return new AttachedScript(
            dirs.userBin(module).resolve("level"), dirs.scriptEnvironment(module), SCRIPT_TIMEOUT)
        .runFor(module, out);
  }
}
