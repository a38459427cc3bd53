package org.bulwark.module.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.env.AttachedScript;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.module.LocalState;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit state [-m AM [-v | -lq]]} (spec F.4): the state of every module or of one; {@code
 * -v} adds the module's resources, the virtual IPs it holds here and what the module's own {@code
 * state} script prints (spec E.1); {@code -lq} exits with the state's code (STOP 0, WAIT 1,
 * ALONE/UP 2, PRIM 3, SECOND 4).
 */
final class StateVerb implements CliVerb {
  /** Bound on the module's state script; the spec gives none (spec E.2 gap). */
  static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(1);

  private final ModuleExtender modules;

  StateVerb(ModuleExtender modules) {
    this.modules = modules;
  }

  @Override
  public String name() {
    return "state";
  }

  @Override
  public String summary() {
    return "print the state of every module, or of one";
  }

  @Override
  public String usage() {
    return "Usage: safekit state [-m AM [-v | -lq]]\n"
        + "  -v   also print the module's resources, the virtual IPs it holds here and what its"
        + " state script prints\n"
        + "  -lq  print the state and exit with its code: STOP 0, WAIT 1, ALONE/UP 2, PRIM 3,"
        + " SECOND 4";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    Args args = new Args(request.args());
    boolean verbose = args.flag("-v");
    boolean exitCode = args.flag("-lq");
    args.end();
    if (request.module() == null) {
      if (verbose || exitCode) {
        throw new IllegalArgumentException("-v and -lq need -m AM");
      }
      for (ModuleRuntime m :
          modules.runtimes().stream().sorted((a, b) -> a.name.compareTo(b.name)).toList()) {
        out.out().printf("%-20s %s%n", m.name, m.local());
      }
      return CliExit.OK;
    }
    Optional<ModuleRuntime> module = modules.runtime(request.module());
    if (module.isEmpty()) {
      out.err()
          .println("Error: module " + request.module() + " is not installed or not configured");
      return CliExit.FAILED;
    }
    LocalState local = module.get().local();
    out.out().printf("%-20s %s%n", module.get().name, local);
    if (verbose) {
      printResources(module.get().resources(), out.out());
      for (String vip : module.get().virtualIps()) {
        out.out().printf("  virtual IP %s%n", vip);
      }
      SafeDirectories dirs = modules.directories();
      AttachedScript script =
          new AttachedScript(
              dirs.userBin(request.module()).resolve("state"),
              dirs.scriptEnvironment(request.module()),
              SCRIPT_TIMEOUT);
      int code = stateScript(script, request.module(), local, out);
      if (code != CliExit.OK && !exitCode) {
        return code;
      }
    }
    return exitCode ? local.state().exitCode() : CliExit.OK;
  }

  /**
   * The module's resources, one a line: the replication's among them ({@code rfs.uptodate}, the
   * reintegration's progress {@code rfs.rei_left} and {@code rfs.rei_bandwidth}, the bandwidths,
   * the messages it refused {@code rfs.refused}).
   */
  static void printResources(java.util.Map<String, String> resources, java.io.PrintWriter out) {
    resources.forEach((name, value) -> out.printf("  %-32s %s%n", name, value));
  }

  /**
   * The module's own {@code state} script of the applied configuration (spec E.1), when it has one:
   * its output follows the resources. It gets the script environment (spec E.2) and, as every
   * script, the state twice then the action, here {@code state}: {@code UP UP state}. A script that
   * fails is said on the error output and makes the command fail.
   */
  static int stateScript(AttachedScript script, String module, LocalState local, CliOutput out)
      throws IOException, InterruptedException {
    if (!script.exists()) {
      return CliExit.OK;
    }
    String state = local.state().name();
    int code = script.run(List.of(state, state, "state"), out.out(), out.err());
    if (code == 0) {
      return CliExit.OK;
    }
    out.err()
        .println(
            "Error: "
                + module
                + ": the module's state script ("
                + script.script()
                + ") failed with exit code "
                + code);
    return CliExit.FAILED;
  }
}
