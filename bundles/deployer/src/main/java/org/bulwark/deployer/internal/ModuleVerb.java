package org.bulwark.deployer.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleDeployer;
import org.bulwark.api.deploy.ModulePort;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit module install|uninstall|list|listid|getports|package} (spec F.5, G.9). A thin
 * face over {@link ModuleDeployer}: it parses the line and prints; the deployer decides.
 */
@Component(service = CliVerb.class)
public final class ModuleVerb implements CliVerb {

  private final ModuleDeployer deployer;

  @Activate
  public ModuleVerb(@Reference ModuleDeployer deployer) {
    this.deployer = deployer;
  }

  @Override
  public String name() {
    return "module";
  }

  @Override
  public String summary() {
    return "install, uninstall, list and package application modules (.safe)";
  }

  @Override
  public String usage() {
    return String.join(
        System.lineSeparator(),
        "usage: safekit module install -m AM [-M id] [-r] [file.safe]",
        "       safekit module install [-M id] [-r] AM.safe",
        "       safekit module uninstall -m AM",
        "       safekit module list",
        "       safekit module listid",
        "       safekit module getports -m AM | -i id",
        "       safekit module package -m AM /abs/new.safe");
  }

  @Override
  public boolean journaled(CliRequest request) {
    String sub = request.args().isEmpty() ? "" : request.args().get(0);
    return sub.equals("install") || sub.equals("uninstall") || sub.equals("package");
  }

  @Override
  public int run(CliRequest request, CliOutput out) {
    List<String> args = request.args();
    String sub = args.isEmpty() ? "" : args.get(0);
    List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
    try {
      switch (sub) {
        case "install":
          return install(request, rest, out);
        case "uninstall":
          return noArgs(rest, out) ? uninstall(request, out) : CliExit.USAGE;
        case "list":
          return noArgs(rest, out) ? list(out, false) : CliExit.USAGE;
        case "listid":
          return noArgs(rest, out) ? list(out, true) : CliExit.USAGE;
        case "getports":
          return getports(request, rest, out);
        case "package":
          return pack(request, rest, out);
        default:
          out.err()
              .println(
                  sub.isEmpty() ? "a subcommand is required" : "unknown subcommand '" + sub + "'");
          out.err().println(usage());
          return CliExit.USAGE;
      }
    } catch (DeployException e) {
      out.err().println("Error: " + e.getMessage());
      return CliExit.FAILED;
    }
  }

  private int install(CliRequest request, List<String> rest, CliOutput out) throws DeployException {
    OptionalInt id = OptionalInt.empty();
    boolean reinstall = false;
    List<String> files = new ArrayList<>();
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (arg.equals("-r")) {
        reinstall = true;
      } else if (arg.equals("-M")) {
        if (i + 1 >= rest.size() || !rest.get(i + 1).matches("\\d{1,6}")) {
          out.err().println("-M needs a module id (a positive number)");
          return CliExit.USAGE;
        }
        id = OptionalInt.of(Integer.parseInt(rest.get(++i)));
      } else if (arg.startsWith("-")) {
        out.err().println("unknown option '" + arg + "'");
        out.err().println(usage());
        return CliExit.USAGE;
      } else {
        files.add(arg);
      }
    }
    if (files.size() > 1) {
      out.err().println("one package at most, got " + files);
      return CliExit.USAGE;
    }
    Optional<Path> file = files.stream().findFirst().map(f -> resolve(request, f));
    String module = request.module();
    if (module == null
        && file.isPresent()
        && file.get().getFileName().toString().endsWith(".safe")) {
      // like the deploy folder: AM.safe installs module AM
      String name = file.get().getFileName().toString();
      module = name.substring(0, name.length() - ".safe".length());
    } else {
      module = module(request, out);
      if (module == null) {
        return CliExit.USAGE;
      }
    }
    InstalledModule installed = deployer.install(module, file, id, reinstall);
    out.out().println("Module " + installed.name() + " installed with id " + installed.id());
    List<ConfigurationError> pending = deployer.pending(installed.name());
    if (!pending.isEmpty()) {
      out.out()
          .println(
              "Its configuration is to be completed before safekit config -m "
                  + installed.name()
                  + " ("
                  + pending.size()
                  + (pending.size() == 1 ? " point):" : " points):"));
      pending.forEach(e -> out.out().println("  " + e.format()));
    }
    return CliExit.OK;
  }

  private int uninstall(CliRequest request, CliOutput out) throws DeployException {
    String module = module(request, out);
    if (module == null) {
      return CliExit.USAGE;
    }
    Path backup = deployer.uninstall(module);
    out.out().println("Module " + module + " uninstalled (backup in " + backup + ")");
    return CliExit.OK;
  }

  private int list(CliOutput out, boolean withIds) {
    for (InstalledModule module : deployer.list()) {
      out.out().println(withIds ? module.name() + " " + module.id() : module.name());
    }
    return CliExit.OK;
  }

  private int getports(CliRequest request, List<String> rest, CliOutput out)
      throws DeployException {
    List<ModulePort> ports;
    if (rest.size() == 2 && rest.get(0).equals("-i")) {
      // -i wins over SAFEMODULE, which scripts always have
      if (!rest.get(1).matches("\\d{1,6}")) {
        out.err().println("-i needs a module id (a positive number), got '" + rest.get(1) + "'");
        return CliExit.USAGE;
      }
      ports = deployer.ports(Integer.parseInt(rest.get(1)));
    } else if (rest.isEmpty() && request.module() != null) {
      ports = deployer.ports(request.module());
    } else {
      out.err().println("getports needs either -m AM or -i id");
      out.err().println(usage());
      return CliExit.USAGE;
    }
    for (ModulePort port : ports) {
      out.out().println(port.format());
    }
    return CliExit.OK;
  }

  private int pack(CliRequest request, List<String> rest, CliOutput out) throws DeployException {
    String module = module(request, out);
    if (module == null) {
      return CliExit.USAGE;
    }
    if (rest.size() != 1) {
      out.err().println("package needs one file: module package -m AM /abs/new.safe");
      return CliExit.USAGE;
    }
    Path file = deployer.packageModule(module, resolve(request, rest.get(0)));
    out.out().println("Module " + module + " packaged in " + file);
    return CliExit.OK;
  }

  private boolean noArgs(List<String> rest, CliOutput out) {
    if (rest.isEmpty()) {
      return true;
    }
    out.err().println("unexpected argument '" + rest.get(0) + "'");
    out.err().println(usage());
    return false;
  }

  private String module(CliRequest request, CliOutput out) {
    if (request.module() == null || request.module().isBlank()) {
      out.err().println("a module is required: -m AM");
      out.err().println(usage());
      return null;
    }
    return request.module();
  }

  /** A relative file is relative to the caller's working directory, not the node's. */
  static Path resolve(CliRequest request, String file) {
    Path path = Path.of(file);
    String pwd = request.environment().get("PWD");
    return path.isAbsolute() || pwd == null ? path.toAbsolutePath() : Path.of(pwd).resolve(path);
  }
}
