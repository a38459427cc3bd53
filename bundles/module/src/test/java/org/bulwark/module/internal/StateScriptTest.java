package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.env.AttachedScript;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The module's {@code state} script in {@code safekit state -v} (spec E.1): its output follows the
 * resources, it gets the state and the script environment, a failure is said and fails the command,
 * and a module without one prints nothing more.
 */
public class StateScriptTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CliOutput cli =
      CliOutput.of(new PrintWriter(out, true), new PrintWriter(err, true));

  private AttachedScript script(String body) throws Exception {
    Path p = tmp.getRoot().toPath().resolve("state");
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new AttachedScript(p, Map.of("SAFEMODULE", "app"), Duration.ofSeconds(30));
  }

  @Test
  public void itsOutputFollowsWithTheStateAndTheEnvironment() throws Exception {
    int code =
        StateVerb.stateScript(
            script("echo \"$SAFEMODULE: $*\"\necho \"application 2.4 running\"\n"),
            "app",
            LocalState.of(ModuleState.UP, Readiness.READY),
            cli);
    assertEquals(CliExit.OK, code);
    assertEquals("app: UP UP state\napplication 2.4 running\n", out.toString());
    assertEquals("", err.toString());
  }

  @Test
  public void aFailingScriptIsSaidAndFailsTheCommand() throws Exception {
    AttachedScript failing = script("echo partial\nexit 3\n");
    int code = StateVerb.stateScript(failing, "app", LocalState.STOPPED, cli);
    assertEquals(CliExit.FAILED, code);
    assertEquals("partial\n", out.toString());
    assertTrue(
        err.toString(),
        err.toString()
            .contains(
                "Error: app: the module's state script ("
                    + failing.script()
                    + ") failed with exit code 3"));
  }

  @Test
  public void noScriptNothingMore() throws Exception {
    AttachedScript none =
        new AttachedScript(
            tmp.getRoot().toPath().resolve("missing"), Map.of(), Duration.ofSeconds(1));
    assertEquals(CliExit.OK, StateVerb.stateScript(none, "app", LocalState.STOPPED, cli));
    assertEquals("", out.toString());
  }
}
