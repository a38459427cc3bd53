package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.User;
import org.bulwark.api.deploy.DeployException;

/**
 * The configuration scripts of a module (spec E.1): {@code config} early in {@code safekit config},
 * {@code postconfig} at its end (a non-zero exit fails the configuration: official ones check that
 * the application's services exist), {@code deconfig} at deconfiguration. Like every script they
 * run only when the module has {@code <user>} (spec B.8), with the script environment (spec E.2),
 * and their output goes to a user log {@code SAFEUSERVAR/userlog_<date>T<time>_<script>.ulog}.
 */
final class ConfigScripts {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss");

  private final Workspace ws;
  private final Clock clock;
  private final Duration timeout;

  ConfigScripts(Workspace ws, Clock clock, Duration timeout) {
    this.ws = ws;
    this.clock = clock;
    this.timeout = timeout;
  }

  /**
   * Runs {@code SAFEUSERBIN/<script>} when it exists.
   *
   * @throws DeployException when it exits non-zero or overruns the timeout, with its last lines
   */
  void run(String module, ModuleConfig model, String script) throws DeployException {
    Path bin = ws.dirs.userBin(module);
    Path file = bin.resolve(script);
    if (model.user().isEmpty() || !Files.isRegularFile(file)) {
      return;
    }
    try {
      Path userVar = ws.dirs.userVar(module);
      Files.createDirectories(userVar);
      String stamp = STAMP.format(clock.instant().atZone(clock.getZone()));
      Path log = userVar.resolve("userlog_" + stamp + "_" + script + ".ulog");
      // two runs in one second share the file: only this run's output goes in a message
      long from = Files.exists(log) ? Files.size(log) : 0;
      ProcessBuilder builder =
          new ProcessBuilder(file.toString())
              .directory(bin.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> env = builder.environment();
      env.putAll(ws.dirs.scriptEnvironment(module));
      for (User.Var var : model.user().get().vars()) {
        env.put(var.name(), var.value());
      }
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new DeployException(
            "module "
                + module
                + ": script "
                + script
                + " killed after "
                + timeout.toSeconds()
                + " s"
                + tail(log, from));
      }
      int code = process.exitValue();
      boolean keep = model.user().get().userlog();
      String lines = code == 0 ? "" : tail(log, from);
      if (!keep) {
        Files.deleteIfExists(log);
      }
      if (code != 0) {
        throw new DeployException(
            "module " + module + ": script " + script + " failed with exit code " + code + lines);
      }
    } catch (IOException e) {
      throw new DeployException("module " + module + ": cannot run script " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("module " + module + ": interrupted in script " + script, e);
    }
  }

  /** The last lines of this run's output, for the error message. */
  private static String tail(Path log, long from) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    byte[] all = Files.readAllBytes(log);
    String text =
        new String(
            all,
            (int) Math.min(from, all.length),
            (int) Math.max(0, all.length - from),
            java.nio.charset.StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    if (lines.isEmpty()) {
      return "";
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
    return ":" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", last);
  }
}
