package org.bulwark.checker.custom.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.checker.internal.CheckerExecutor;
import org.bulwark.checker.testing.RecordingTarget;
import org.bulwark.checker.testing.Userconfigs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code <custom>}: the user's program runs while its phase does, with the module and resource as
 * arguments, and is stopped with everything it started when the phase ends (spec B.16).
 */
public class CustomCheckerTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final LocalState PRIM = LocalState.of(ModuleState.PRIM, Readiness.READY);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final CheckerExecutor executor = new CheckerExecutor();
  private final RecordingTarget target = new RecordingTarget();

  @After
  public void stop() {
    executor.deactivate();
  }

  private Path bin(String script) throws Exception {
    Path bin = tmp.newFolder("bin").toPath();
    Path file = bin.resolve("appcheck");
    Files.writeString(file, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private CheckerSession open(Path bin, String extra) {
    CheckerContext context =
        Userconfigs.context(
            "<check><custom ident=\"app\" when=\"prim\" exec=\"appcheck\"" + extra + "/></check>",
            bin);
    executor.addProvider(new CustomChecker());
    return executor.open(context, target);
  }

  /** Waits (with a deadline) until a file exists and is not empty. */
  private static String await(Path file) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!Files.exists(file) || Files.size(file) == 0) {
      assertTrue(file + " never written", System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
    return Files.readString(file).trim();
  }

  private static void awaitGone(long pid) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (running(pid)) {
      assertTrue(pid + " still runs", System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }

  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  public void theProgramRunsWhileItsPhaseDoes() throws Exception {
    Path work = tmp.getRoot().toPath();
    Path args = work.resolve("args");
    Path child = work.resolve("child");
    Path bin =
        bin(
            "echo \"$@\" > "
                + work.resolve("args.tmp")
                + " && mv "
                + work.resolve("args.tmp")
                + " "
                + args
                + "\n"
                + "sleep 3600 & echo $! > "
                + work.resolve("child.tmp")
                + " && mv "
                + work.resolve("child.tmp")
                + " "
                + child
                + "\nwhile :; do sleep 1; done\n");
    try (CheckerSession s = open(bin, " arg=\"one  two\"")) {
      assertEquals(List.of("Resource custom.app set to init by customcheck"), target.lines());
      s.state(LocalState.of(ModuleState.WAIT, Readiness.NOT_READY));
      assertTrue(!Files.exists(args)); // prim only: not started in WAIT
      s.state(PRIM);
      assertEquals("AM custom.app one two", await(args));
      long sleeper = Long.parseLong(await(child));
      assertTrue(running(sleeper));
      s.state(LocalState.of(ModuleState.PRIM, Readiness.TRANSIENT)); // stop_prim: it stops
      awaitGone(sleeper);
      assertEquals(List.of("custom.app class=prim stopped init"), s.list());
    }
    assertEquals(List.of("Resource custom.app set to init by customcheck"), target.lines());
  }

  @Test
  public void anEndItWasNotAskedForIsLogged() throws Exception {
    Path bin = bin("exit 3\n");
    try (CheckerSession s = open(bin, "")) {
      s.state(PRIM);
      target.awaitLine(
          "Custom checker " + bin.resolve("appcheck") + " ended with exit code 3", LIMIT);
    }
  }
}
