package org.bulwark.itests;

import static org.bulwark.itests.LabRun.must;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A delayed cable (the kernel has no {@code sch_netem}): the relay program ({@code
 * src/test/resources/lab-relay.c}, compiled once per lab run) moves every frame between a node's
 * switch port and a TAP device that takes the port's place on the bridge, each after the delay. The
 * TAP goes away with the program; the program lives in the switch's namespace, so that the lab's
 * close kills it whatever happens.
 */
final class DelayRelay implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(30);

  private final Process process;

  /** The TAP, on the bridge while the relay runs. */
  final String tap;

  private DelayRelay(Process process, String tap) {
    this.process = process;
    this.tap = tap;
  }

  /** Compiles the relay into {@code dir} (once per run) and returns the program. */
  static synchronized Path compile(Path dir) throws IOException, InterruptedException {
    Path program = dir.resolve("lab-relay");
    if (Files.isExecutable(program)) {
      return program;
    }
    Path source = dir.resolve("lab-relay.c");
    try (InputStream in = DelayRelay.class.getResourceAsStream("/lab-relay.c")) {
      if (in == null) {
        throw new IllegalStateException("lab-relay.c is not on the test class path");
      }
      Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
    }
    must("cc", "-O2", "-Wall", "-o", program.toString(), source.toString());
    return program;
  }

  /**
   * Starts relaying {@code port} through a new TAP {@code tap} in namespace {@code ns}, each frame
   * held {@code delay}; returns once the TAP exists (not yet on the bridge). Its errors go to
   * {@code log}.
   */
  static DelayRelay start(
      Path program, String ns, String port, String tap, Duration delay, Path log)
      throws IOException, InterruptedException {
    long micros = delay.toNanos() / 1000;
    Process p =
        new ProcessBuilder(
                "ip", "netns", "exec", ns, program.toString(), port, tap, Long.toString(micros))
            .redirectError(log.toFile())
            .start();
    DelayRelay relay = new DelayRelay(p, tap);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(() -> readLine(out))
              .get(READY.toSeconds(), TimeUnit.SECONDS);
      if (!"ready".equals(line)) {
        throw new IOException("lab-relay on " + port + " did not start: " + Files.readString(log));
      }
      return relay;
    } catch (ExecutionException | TimeoutException | IOException e) {
      relay.close();
      throw new IOException("lab-relay on " + port + ": " + Files.readString(log), e);
    }
  }

  private static String readLine(BufferedReader r) {
    try {
      return r.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  /** kill -9 of the relay; returns once it is gone, and its TAP with it. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(READY.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("lab-relay " + process.pid() + " survived kill -9");
    }
  }
}
