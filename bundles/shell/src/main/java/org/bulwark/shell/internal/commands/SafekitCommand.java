package org.bulwark.shell.internal.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;

/**
 * {@code bulwark:safekit <command> [arguments] [-m AM]} in the Karaf shell: the same commands as
 * the {@code safekit} client, through the same service, with completion of commands and modules.
 * The options that come before a command in SafeKit's syntax ({@code -H "*" state}, {@code -H "*"
 * -E AM}, {@code -H "*" -G}, {@code -m AM -r program}, {@code -p}) are declared here, because the
 * Karaf shell refuses an undeclared option before the first argument.
 */
@Command(
    scope = "bulwark",
    name = "safekit",
    description = "Run a safekit command on this node (safekit --help lists them)")
@Service
public class SafekitCommand implements Action {

  @Reference CliService cli;

  @Option(
      name = "-H",
      description =
          "run on these servers (spec F.7): \"*\", \"node1,node2\", \"[http:9010],h1,h2\" or URLs")
  @Completion(ServersCompleter.class)
  String servers;

  @Option(name = "-E", description = "with -H: export this module to the servers")
  @Completion(ModulesCompleter.class)
  String export;

  @Option(name = "-G", description = "with -H: apply this node's cluster.xml on the servers")
  boolean cluster;

  @Option(name = "-m", description = "the module")
  @Completion(ModulesCompleter.class)
  String module;

  @Option(name = "-p", description = "the node's directories, or with -m a module's environment")
  boolean paths;

  @Option(name = "-r", description = "run a program of SAFEBIN in the node")
  String program;

  @Argument(
      index = 0,
      name = "arguments",
      description = "the command and its arguments, as after `safekit`",
      multiValued = true)
  @Completion(SafekitCompleter.class)
  List<String> arguments;

  @Override
  public Object execute() {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code =
        cli.execute(
            commandLine(servers, export, cluster, module, paths, program, arguments),
            Map.of("USER", "karaf"),
            CliOutput.of(out, err));
    out.flush();
    err.flush();
    return code == 0 ? null : "exit code " + code;
  }

  /** The {@code safekit} command line, options in SafeKit's order; {@code --help} when empty. */
  static List<String> commandLine(
      String servers,
      String export,
      boolean cluster,
      String module,
      boolean paths,
      String program,
      List<String> arguments) {
    List<String> argv = new ArrayList<>();
    if (module != null) {
      argv.add("-m");
      argv.add(module);
    }
    if (servers != null) {
      argv.add("-H");
      argv.add(servers);
    }
    if (export != null) {
      argv.add("-E");
      argv.add(export);
    }
    if (cluster) {
      argv.add("-G");
    }
    if (paths) {
      argv.add("-p");
    }
    if (program != null) {
      argv.add("-r");
      argv.add(program);
    }
    if (arguments != null) {
      argv.addAll(arguments);
    }
    return argv.isEmpty() ? List.of("--help") : argv;
  }
}
