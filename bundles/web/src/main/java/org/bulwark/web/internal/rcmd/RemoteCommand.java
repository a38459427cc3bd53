package org.bulwark.web.internal.rcmd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What follows {@code safekit -H "<servers>"} (spec F.7): a command to run on each server, {@code
 * -E AM} (export a module) or {@code -G} (push the cluster configuration).
 */
sealed interface RemoteCommand {

  /** Commands that make no sense elsewhere (spec F.7: not logview, -p, -r), and -H itself. */
  Set<String> LOCAL_ONLY = Set.of("logview", "-p", "-r", "-H", "-E", "-G");

  /** The commands that wait: their own deadline ({@code -t}, one hour by default) comes first. */
  Set<String> WAITING = Set.of("waitstart", "waitstop", "waitstate");

  /** How long past a waiting command's own deadline a server has to answer. */
  Duration WAIT_MARGIN = Duration.ofSeconds(30);

  /** How long a server has to answer, given the default for commands that do not wait. */
  Duration timeout(Duration normal);

  /** The word after {@code <user> action=} in each server's report. */
  String action();

  /** {@code safekit -H … <command> [args]}: the command line each server runs. */
  record Exec(List<String> args) implements RemoteCommand {
    public Exec {
      args = List.copyOf(args);
    }

    @Override
    public Duration timeout(Duration normal) {
      if (!WAITING.contains(args.get(0))) {
        return normal;
      }
      int t = args.indexOf("-t");
      long seconds = 3600;
      if (t >= 0 && t + 1 < args.size() && args.get(t + 1).matches("\\d{1,7}")) {
        seconds = Long.parseLong(args.get(t + 1));
      }
      return Duration.ofSeconds(seconds).plus(WAIT_MARGIN);
    }

    @Override
    public String action() {
      return "exec";
    }
  }

  /** {@code -E AM}: the local module AM, installed with its id and configured on each server. */
  record Export(String module) implements RemoteCommand {
    @Override
    public Duration timeout(Duration normal) {
      return normal;
    }

    @Override
    public String action() {
      return "export";
    }
  }

  /** {@code -G}: the local cluster.xml, applied on each server. */
  record PushCluster() implements RemoteCommand {
    @Override
    public Duration timeout(Duration normal) {
      return normal;
    }

    @Override
    public String action() {
      return "clusterconfig";
    }
  }

  /**
   * Reads the arguments after the servers.
   *
   * @param args what follows {@code -H "<servers>"}, {@code -m AM} taken out
   * @param module the module of {@code -m AM} (or {@code SAFEMODULE}), or null; it goes to each
   *     server with the command
   * @throws IllegalArgumentException when the command line is wrong
   */
  static RemoteCommand parse(List<String> args, String module) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("a command, -E AM or -G must follow -H \"<servers>\"");
    }
    String first = args.get(0);
    if (first.equals("-E")) {
      if (args.size() != 2 || args.get(1).isBlank() || args.get(1).startsWith("-")) {
        throw new IllegalArgumentException("-E takes one module name: -H \"<servers>\" -E AM");
      }
      return new Export(args.get(1));
    }
    if (first.equals("-G")) {
      if (args.size() != 1) {
        throw new IllegalArgumentException(
            "-G takes no argument, not '" + args.get(1) + "': -H \"<servers>\" -G");
      }
      return new PushCluster();
    }
    if (LOCAL_ONLY.contains(first)) {
      throw new IllegalArgumentException(
          "'" + first + "' cannot be run on other servers (spec F.7: not logview, -p, -r)");
    }
    if (args.contains("-u")) {
      throw new IllegalArgumentException(
          "-u cannot be given with -H: each server records the distributed-command user");
    }
    List<String> command = new ArrayList<>(args);
    if (module != null) {
      command.add("-m");
      command.add(module);
    }
    return new Exec(command);
  }
}
