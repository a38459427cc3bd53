package org.bulwark.api.env;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;

/**
 * A module script whose output goes to the command that asked for it (spec E.1): {@code confcheck}
 * for {@code safekit confcheck}, {@code level} for {@code safekit level}. It runs in its own
 * directory with the script environment (spec E.2) and is killed, with its children, past its time
 * limit.
 *
 * @param script the executable
 * @param environment the variables added to the node's environment
 * @param timeout the time limit
 */
public record AttachedScript(Path script, Map<String, String> environment, Duration timeout) {

  /** Exit code of a script killed past its time limit (as {@code timeout(1)} reports it). */
  public static final int TIMED_OUT = 124;

  public AttachedScript {
    environment = Map.copyOf(environment);
  }

  /** Whether there is a script to run: a missing script is skipped (spec E.4). */
  public boolean exists() {
    return Files.isRegularFile(script) && Files.isExecutable(script);
  }

  /**
   * For a command's answer: runs the script without arguments when it exists, and turns a failure
   * into {@code Error: <module>: the module's <script> script (<path>) failed with exit code N}.
   *
   * @return {@link CliExit#OK}, or {@link CliExit#FAILED} when the script failed
   */
  public int runFor(String module, CliOutput out) throws IOException, InterruptedException {
    if (!exists()) {
      return CliExit.OK;
    }
    int code = run(List.of(), out.out(), out.err());
    if (code == 0) {
      return CliExit.OK;
    }
    out.err()
        .println(
            "Error: "
                + module
                + ": the module's "
                + script.getFileName()
                + " script ("
                + script
                + ") failed with exit code "
                + code);
    return CliExit.FAILED;
  }

  /** Runs the script with {@code args}, its output and errors copied to {@code out}/{@code err}. */
  public int run(List<String> args, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(script.getParent().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    Process process = builder.start();
    Thread errors = copier(process.getErrorStream(), err);
    Thread output = copier(process.getInputStream(), out);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      drain(output, errors);
      err.println(
          "Error: script " + script.getFileName() + " killed after " + timeout.toSeconds() + " s");
      return TIMED_OUT;
    }
    drain(output, errors);
    return process.exitValue();
  }

  /** Waits for the output copied, a little: a child left in the background may hold it open. */
  private static void drain(Thread output, Thread errors) throws InterruptedException {
    output.join(DRAIN.toMillis());
    errors.join(DRAIN.toMillis());
  }

  private static final Duration DRAIN = Duration.ofSeconds(5);

  private static Thread copier(InputStream in, PrintWriter to) {
    Thread t =
        new Thread(
            () -> {
              char[] buffer = new char[8192];
              try (Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
                for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                  synchronized (to) {
                    to.write(buffer, 0, n);
                    to.flush();
                  }
                }
              } catch (IOException e) {
                // the process ended: what it wrote has been copied
              }
            },
            "script-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
