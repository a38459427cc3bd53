package org.bulwark.web.internal.rest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliService;
import org.bulwark.web.internal.auth.Caller;

/**
 * Runs a {@code safekit} verb for an API caller through the same {@link CliService} as the command
 * line, with {@code -u user@address}: the verb does the work and the commands log records who asked
 * (spec G.7). A failing verb becomes a problem document carrying its message.
 */
final class CliCall {
  private CliCall() {}

  /**
   * What a verb printed and returned.
   *
   * @param command the command line run, without the origin
   * @param exitCode its exit code (0 here: failures are problems)
   * @param output its standard output
   */
  record Result(String command, int exitCode, String output) {}

  /**
   * As {@link #run(CliService, Caller, List)}, for a verb given a temporary file: the answer names
   * the file {@code shownAs} ({@code cluster.xml}), as the caller sent it, not by its path.
   */
  static Result run(CliService cli, Caller caller, List<String> args, Path file, String shownAs) {
    String path = file.toString();
    try {
      Result r = run(cli, caller, args);
      return new Result(
          r.command().replace(path, shownAs), r.exitCode(), r.output().replace(path, shownAs));
    } catch (ApiException e) {
      throw new ApiException(e.status(), e.getMessage().replace(path, shownAs));
    }
  }

  /** Runs {@code safekit args -u origin} and returns its result, or throws its problem. */
  static Result run(CliService cli, Caller caller, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> argv = new ArrayList<>(args);
    argv.add("-u");
    argv.add(caller.origin());
    int code;
    try (PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err)) {
      code = cli.execute(argv, Map.of("USER", caller.name()), CliOutput.of(o, e));
    }
    String command = String.join(" ", args);
    if (code == CliExit.OK) {
      return new Result(command, code, out.toString());
    }
    String message = message(err.toString(), out.toString(), code);
    throw new ApiException(code == CliExit.USAGE ? 400 : 409, command + ": " + message);
  }

  /** The verb's error text without the {@code Error: } prefix the command line shows. */
  private static String message(String err, String out, int code) {
    String text = (err.isBlank() ? out : err).strip();
    if (text.startsWith("Error: ")) {
      text = text.substring("Error: ".length());
    }
    return text.isEmpty() ? "failed with exit code " + code : text;
  }
}
