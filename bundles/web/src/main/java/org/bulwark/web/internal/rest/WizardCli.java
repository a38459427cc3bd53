package org.bulwark.web.internal.rest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;
import org.bulwark.web.internal.auth.Caller;

/**
 * The {@code safekit} verbs the configuration wizards run whatever their exit code: {@code
 * confcheck} (an invalid configuration is an answer, not a failure of the call) and the distributed
 * forms {@code -H … -G} and {@code -H … -E AM}, whose output is split per server (spec F.7).
 * Standard output and error go to one text, in the order printed, so that a server's error stays
 * between its header and its {@code Success} / {@code Failure} line.
 */
final class WizardCli {
  private WizardCli() {}

  /**
   * What a verb printed, both streams in order, and its exit code.
   *
   * @param command the command line run, without the origin
   * @param exitCode its exit code
   * @param output what it printed
   */
  record Run(String command, int exitCode, String output) {}

  /**
   * One server's part of a distributed command.
   *
   * @param server the server's web service, {@code http://10.0.0.2:9010}
   * @param success whether the command succeeded there
   * @param exitCode its exit code there (1 when the server could not be reached)
   * @param output what it printed there, errors included
   */
  public record ServerResult(String server, boolean success, int exitCode, String output) {}

  static Run run(CliService cli, Caller caller, List<String> args) {
    StringWriter text = new StringWriter();
    List<String> argv = new ArrayList<>(args);
    argv.add("-u");
    argv.add(caller.origin());
    int code;
    try (PrintWriter w = new PrintWriter(text)) {
      code = cli.execute(argv, Map.of("USER", caller.name()), CliOutput.of(w, w));
    }
    return new Run(String.join(" ", args), code, text.toString());
  }

  private static final Pattern HEADER = Pattern.compile("^-{16} Server=(\\S+) -{16}$");
  private static final Pattern FAILURE = Pattern.compile("^Failure \\(exit code (\\d+)\\)$");

  /**
   * The per-server sections of a {@code -H} command's output (as {@code ServerReport} prints them):
   * a header, the {@code user action=…} line, the output, then {@code Success} or {@code Failure
   * (exit code N)}. Text before the first header (an error of the command itself) is not a server.
   */
  static List<ServerResult> servers(String output) {
    List<ServerResult> servers = new ArrayList<>();
    String server = null;
    List<String> body = new ArrayList<>();
    for (String line : output.split("\r?\n", -1)) {
      Matcher header = HEADER.matcher(line);
      if (header.matches()) {
        if (server != null) {
          servers.add(section(server, body));
        }
        server = header.group(1);
        body.clear();
      } else if (server != null) {
        body.add(line);
      }
    }
    if (server != null) {
      servers.add(section(server, body));
    }
    return servers;
  }

  private static ServerResult section(String server, List<String> lines) {
    List<String> body = new ArrayList<>(lines);
    while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
      body.remove(body.size() - 1);
    }
    if (!body.isEmpty() && body.get(0).contains(" action=")) {
      body.remove(0);
    }
    String last = body.isEmpty() ? "" : body.get(body.size() - 1);
    Matcher failure = FAILURE.matcher(last);
    int code;
    if (last.equals("Success")) {
      code = 0;
    } else if (failure.matches()) {
      code = Integer.parseInt(failure.group(1));
    } else {
      // cut short: no verdict line, so not a success
      return new ServerResult(server, false, 1, String.join("\n", body));
    }
    body.remove(body.size() - 1);
    return new ServerResult(server, code == 0, code, String.join("\n", body));
  }
}
