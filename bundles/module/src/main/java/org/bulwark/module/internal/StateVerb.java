package org.bulwark.module.internal;

import java.util.Optional;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.module.LocalState;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit state [-m AM [-v | -lq]]} (spec F.4): the state of every module or of one; {@code
 * -v} adds the module's resources and the virtual IPs it holds here; {@code -lq} exits with the
 * state's code (STOP 0, WAIT 1, ALONE/UP 2, PRIM 3, SECOND 4).
 */
final class StateVerb implements CliVerb {
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
        + "  -v   also print the module's resources and the virtual IPs it holds here\n"
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
      module
          .get()
          .resources()
          .forEach((name, value) -> out.out().printf("  %-32s %s%n", name, value));
      for (String vip : module.get().virtualIps()) {
        out.out().printf("  virtual IP %s%n", vip);
      }
    }
    return exitCode ? local.state().exitCode() : CliExit.OK;
  }
}
