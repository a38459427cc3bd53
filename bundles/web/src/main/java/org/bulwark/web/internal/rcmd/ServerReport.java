package org.bulwark.web.internal.rcmd;

import org.bulwark.api.cli.CliOutput;

/**
 * One server's part of a distributed command's output, as SafeKit prints it (spec F.7):
 *
 * <pre>
 * ---------------- Server=http://10.0.0.20:9010 ----------------
 * rcmdadmin action=exec
 * (what the command printed there)
 * Success
 * </pre>
 *
 * The command's standard error goes to standard error, between the header and the last line; the
 * last line is {@code Success}, or {@code Failure (exit code N)}.
 */
final class ServerReport {
  private ServerReport() {}

  static String header(Target target) {
    return "---------------- Server=" + target.label() + " ----------------";
  }

  static void print(Target target, String user, String action, Answer answer, CliOutput out) {
    out.out().println(header(target));
    out.out().println(user + " action=" + action);
    write(out.out(), answer.output());
    out.out().flush();
    if (!answer.error().isEmpty()) {
      write(out.err(), answer.error());
      out.err().flush();
    }
    out.out()
        .println(
            answer.exitCode() == 0 ? "Success" : "Failure (exit code " + answer.exitCode() + ")");
    out.out().flush();
  }

  private static void write(java.io.PrintWriter to, String text) {
    if (text.isEmpty()) {
      return;
    }
    to.print(text);
    if (!text.endsWith("\n")) {
      to.println();
    }
  }
}
