package org.bulwark.module.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs module scripts as the spec says (spec E.1–E.3): {@code SAFEUSERBIN/<name>} with its
 * arguments and the module's environment, in a process group of its own (so that a timeout or a
 * forcestop kills the whole tree the script started), standard output and error appended to {@code
 * SAFEUSERVAR/userlog_<date>T<time>_<name>.ulog}.
 */
final class ScriptRunner {
  static final DateTimeFormatter ULOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss").withZone(ZoneId.systemDefault());

  private final Path userBin;
  private final Path userVar;
  private final Map<String, String> environment;
  private final boolean userlog;
  private final boolean enabled;

  /**
   * @param userBin {@code SAFEUSERBIN}
   * @param userVar {@code SAFEUSERVAR}, where user logs go
   * @param environment what scripts get on top of the node's environment (spec E.2)
   * @param userlog whether output goes to user logs ({@code <user logging="userlog">})
   * @param enabled false when the module has no {@code <user>}: then no script runs (spec B.8)
   */
  ScriptRunner(
      Path userBin,
      Path userVar,
      Map<String, String> environment,
      boolean userlog,
      boolean enabled) {
    this.userBin = userBin;
    this.userVar = userVar;
    this.environment = Map.copyOf(environment);
    this.userlog = userlog;
    this.enabled = enabled;
  }

  /** Whether {@code name} exists and can be run; missing scripts are skipped (spec E.4). */
  boolean exists(String name) {
    Path script = userBin.resolve(name);
    return enabled && Files.isRegularFile(script) && Files.isExecutable(script);
  }

  /** Starts {@code name}; empty when the script does not exist. */
  Optional<RunningScript> start(String name, List<String> args, Instant now) throws IOException {
    if (!exists(name)) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>();
    command.add("setsid"); // a new session and process group: its pid is the group id
    command.add(userBin.resolve(name).toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(userBin.toFile());
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Path log = null;
    if (userlog) {
      Files.createDirectories(userVar);
      log = userVar.resolve("userlog_" + ULOG_TIME.format(now) + "_" + name + ".ulog");
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    } else {
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    return Optional.of(new RunningScript(name, builder.start(), log));
  }

  /** A script that runs. */
  static final class RunningScript {
    final String name;
    final Process process;
    final Path log;

    RunningScript(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    /**
     * Kills the script's whole process group with SIGKILL: the script and everything it started
     * that did not leave the group.
     */
    void killGroup() {
      long group = process.pid();
      try {
        Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + group).start();
        kill.waitFor();
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }

    String logName() {
      return log == null ? "no user log" : log.getFileName().toString();
    }
  }
}
