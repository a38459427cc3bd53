package org.bulwark.checker.custom.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.Supervised;

/**
 * One run of a custom checker program: in a session and process group of its own ({@code setsid}),
 * with the scripts' environment, from the module's {@code bin/}, its output discarded. Stopping it
 * sends SIGTERM to the group, then SIGKILL to what is left after {@link #GRACE_MILLIS}. An end the
 * executor did not ask for is logged: the resource then stays as the program left it.
 */
final class CustomProgram implements Supervised {
  static final long GRACE_MILLIS = 3_000;

  private final List<String> command;
  private final CheckerContext context;

  CustomProgram(List<String> command, CheckerContext context) {
    this.command = List.copyOf(command);
    this.context = context;
  }

  List<String> command() {
    return command;
  }

  @Override
  public AutoCloseable start(Consumer<String> log) {
    List<String> line = new ArrayList<>();
    line.add("setsid"); // its pid is the group id: the stop reaches what it starts
    line.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(line);
    Path bin = context.bin();
    if (bin.toFile().isDirectory()) {
      builder.directory(bin.toFile());
    }
    builder.environment().putAll(context.environment());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      log.accept("Custom checker " + command.get(0) + " not started: " + e.getMessage());
      return () -> {};
    }
    Stop stop = new Stop(process);
    process
        .onExit()
        .thenAccept(
            p -> {
              if (!stop.asked) {
                log.accept(
                    "Custom checker " + command.get(0) + " ended with exit code " + p.exitValue());
              }
            });
    return stop;
  }

  private static final class Stop implements AutoCloseable {
    private final Process process;
    volatile boolean asked;

    Stop(Process process) {
      this.process = process;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      asked = true;
      signal("-TERM");
      if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        signal("-KILL");
        process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
      signal("-KILL"); // what it left behind in its group
    }

    private void signal(String signal) throws IOException, InterruptedException {
      new ProcessBuilder("kill", signal, "--", "-" + process.pid())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }
}
