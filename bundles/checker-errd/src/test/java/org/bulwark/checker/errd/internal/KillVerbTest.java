package org.bulwark.checker.errd.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.proc.internal.ProcFs;
import org.junit.After;
import org.junit.Test;

/** {@code safekit kill} on processes of the test, matched as errd matches them. */
public class KillVerbTest {
  private final String seconds = String.valueOf(500_000 + new Random().nextInt(100_000));
  private final StringWriter out = new StringWriter();
  private Process sleeper;

  @After
  public void cleanUp() throws Exception {
    if (sleeper != null) {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int kill(String... args) throws Exception {
    PrintWriter w = new PrintWriter(out, true);
    CliOutput output = CliOutput.of(w, w);
    return new KillVerb(new ProcFs())
        .run(new CliRequest("kill", List.of(args), null, null, Map.of()), output);
  }

  @Test
  public void testListsAndNineKills() throws Exception {
    sleeper = new ProcessBuilder("sleep", seconds).start();
    String argregex = "-argregex=^sleep " + seconds + "$";
    assertEquals(CliExit.OK, kill("-name=sleep", argregex, "-level=test"));
    assertEquals(sleeper.pid() + " sleep " + seconds + "\n", out.toString());
    assertTrue(sleeper.isAlive());

    assertEquals(CliExit.OK, kill("-name=sleep", argregex, "-level=9"));
    assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, sleeper.exitValue());
  }

  @Test
  public void terminateSendsTerm() throws Exception {
    sleeper = new ProcessBuilder("sleep", seconds).start();
    assertEquals(
        CliExit.OK, kill("-name=sleep", "-argregex=^sleep " + seconds + "$", "-level=terminate"));
    // the verb returns once the process is gone from the table; this JVM reaps its child a little
    // later, so wait for the exit it saw (a sleep left alive would time out here)
    assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
    assertEquals(143, sleeper.exitValue());
  }

  @Test(expected = IllegalArgumentException.class)
  public void aBadLevelIsRefused() throws Exception {
    kill("-name=sleep", "-level=3");
  }
}
