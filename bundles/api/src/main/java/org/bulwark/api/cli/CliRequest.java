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
 * @param user the origin given with {@code -u} ({@code admin@10.0.0.103} for the console), or null
 *     for the local command line
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

  /**
   * Who runs the command, as module logs name it ({@code Action start called by root}): the {@code
   * -u} origin, or else the local user that ran the client.
   */
  public String actor() {
    if (user != null) {
      return user;
    }
    String local = environment.get("USER");
    return local == null || local.isBlank() ? "root" : local;
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
