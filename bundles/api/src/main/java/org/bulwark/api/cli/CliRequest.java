package org.bulwark.api.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One invocation of a verb.
 *
 * @param verb the verb name
 * @param args the arguments after the verb, with {@code -m AM} removed
 * @param module the module from {@code -m}, or from {@code SAFEMODULE} in the caller's environment,
 *     or null
 * @param user who runs it, as the commands log shows ({@code root}, {@code admin@10.0.0.103})
 * @param environment the caller's environment variables that matter to verbs ({@code SAFEMODULE},
 *     {@code PWD} …)
 */
public record CliRequest(
    String verb, List<String> args, String module, String user, Map<String, String> environment) {

  public CliRequest {
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
  }

  /** The module, if one was given. */
  public Optional<String> moduleName() {
    return Optional.ofNullable(module);
  }

  /** The command line as the commands log records it: verb, arguments, module and user. */
  public String commandLine() {
    StringBuilder line = new StringBuilder(verb);
    for (String arg : args) {
      line.append(' ').append(arg.isEmpty() || arg.contains(" ") ? '"' + arg + '"' : arg);
    }
    if (module != null) {
      line.append(" -m ").append(module);
    }
    if (user != null) {
      line.append(" -u ").append(user);
    }
    return line.toString();
  }
}
