package org.bulwark.shell.internal.commands;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;

/**
 * {@code bulwark:safekit <command> [arguments] [-m AM]} in the Karaf shell: the same commands as
 * the {@code safekit} client, through the same service, with completion of commands and modules.
 */
@Command(
    scope = "bulwark",
    name = "safekit",
    description = "Run a safekit command on this node (safekit --help lists them)")
@Service
public class SafekitCommand implements Action {

  @Reference CliService cli;

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
            arguments == null ? List.of("--help") : arguments,
            Map.of("USER", "karaf"),
            CliOutput.of(out, err));
    out.flush();
    err.flush();
    return code == 0 ? null : "exit code " + code;
  }
}
