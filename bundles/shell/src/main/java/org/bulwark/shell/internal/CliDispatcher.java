package org.bulwark.shell.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.store.CommandLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the arguments of one {@code safekit} invocation into a verb call (spec F): finds the verb,
 * takes {@code -m AM} (or {@code SAFEMODULE}) and {@code -u origin} out of the arguments, answers
 * {@code --help}, journals system-modifying commands in the commands log (spec G.7) and turns every
 * failure into a message and an exit code — never a stack trace.
 */
final class CliDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(CliDispatcher.class);

  private final Supplier<Collection<CliVerb>> verbs;
  private final CommandLog commandLog;

  CliDispatcher(Supplier<Collection<CliVerb>> verbs, CommandLog commandLog) {
    this.verbs = verbs;
    this.commandLog = commandLog;
  }

  int dispatch(List<String> argv, Map<String, String> environment, CliOutput out) {
    List<String> args = new ArrayList<>(argv);
    String module;
    String user;
    try {
      module = takeOption(args, "-m");
      user = takeOption(args, "-u");
    } catch (IllegalArgumentException e) {
      out.err().println("Error: " + e.getMessage());
      return CliExit.USAGE;
    }
    if (module == null) {
      String fromEnv = environment.get("SAFEMODULE");
      module = fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }
    if (args.isEmpty()) {
      printHelp(out);
      return CliExit.USAGE;
    }
    String name = args.remove(0);
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      return args.isEmpty() ? printHelp(out) : printVerbHelp(args.get(0), out);
    }
    Optional<CliVerb> verb = find(name, args);
    if (verb.isEmpty()) {
      out.err().println("Error: unknown command '" + name + "'" + suggestion(name));
      out.err().println("Run 'safekit --help' for the list of commands.");
      return CliExit.USAGE;
    }
    if (args.size() == 1 && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
      out.out().println(verb.get().usage());
      return CliExit.OK;
    }
    return run(verb.get(), new CliRequest(name, args, module, user, environment), out);
  }

  private int run(CliVerb verb, CliRequest request, CliOutput out) {
    long journalId = -1;
    try {
      if (verb.journaled(request)) {
        journalId = commandLog.start("safekit", request.module(), request.commandLine());
      }
    } catch (Exception e) {
      LOG.warn("Cannot journal {}", request.commandLine(), e);
      out.err().println("Warning: the commands log is unavailable: " + e.getMessage());
    }
    int code;
    try {
      code = verb.run(request, out);
    } catch (IllegalArgumentException e) {
      out.err().println("Error: " + e.getMessage());
      out.err().println(firstLine(verb.usage()));
      code = CliExit.USAGE;
    } catch (Exception e) {
      LOG.error("safekit {} failed", request.commandLine(), e);
      out.err().println("Error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      code = CliExit.FAILED;
    }
    if (journalId >= 0) {
      try {
        commandLog.end(journalId, code);
      } catch (Exception e) {
        LOG.warn("Cannot journal the end of {}", request.commandLine(), e);
      }
    }
    return code;
  }

  /** Removes {@code option value} from the arguments and returns the value, or null. */
  static String takeOption(List<String> args, String option) {
    String value = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(option)) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + option + " needs a value");
        }
        if (value != null) {
          throw new IllegalArgumentException("option " + option + " is given twice");
        }
        value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        i--;
      }
    }
    return value;
  }

  private Optional<CliVerb> find(String name) {
    return find(name, List.of());
  }

  /** The verb that claims the first argument as a subcommand, else the general verb of the name. */
  private Optional<CliVerb> find(String name, List<String> args) {
    List<CliVerb> named = verbs.get().stream().filter(v -> v.name().equals(name)).toList();
    if (!args.isEmpty()) {
      Optional<CliVerb> claiming =
          named.stream().filter(v -> v.subcommands().contains(args.get(0))).findFirst();
      if (claiming.isPresent()) {
        return claiming;
      }
    }
    return named.stream()
        .filter(v -> v.subcommands().isEmpty())
        .findFirst()
        .or(() -> named.stream().findFirst());
  }

  private int printHelp(CliOutput out) {
    out.out().println("Usage: safekit <command> [arguments] [-m AM]");
    out.out().println();
    out.out().println("Commands:");
    for (Map.Entry<String, String> e : summaries().entrySet()) {
      out.out().printf("  %-12s %s%n", e.getKey(), e.getValue());
    }
    out.out().println();
    out.out().println("'safekit <command> --help' shows the usage of one command.");
    out.out().println("-m AM is optional when SAFEMODULE is set (inside module scripts).");
    return CliExit.OK;
  }

  private Map<String, String> summaries() {
    Map<String, String> sorted = new TreeMap<>();
    for (CliVerb v : verbs.get()) {
      sorted.put(v.name(), v.summary());
    }
    return new LinkedHashMap<>(sorted);
  }

  private int printVerbHelp(String name, CliOutput out) {
    Optional<CliVerb> verb = find(name);
    if (verb.isEmpty()) {
      out.err().println("Error: unknown command '" + name + "'" + suggestion(name));
      return CliExit.USAGE;
    }
    out.out().println(verb.get().usage());
    return CliExit.OK;
  }

  private String suggestion(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (CliVerb v : verbs.get()) {
      int d = distance(name, v.name());
      if (d < bestDistance) {
        bestDistance = d;
        best = v.name();
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 3)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1, previous[j - 1] + cost);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
