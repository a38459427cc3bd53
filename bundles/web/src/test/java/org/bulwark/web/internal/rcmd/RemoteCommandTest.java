package org.bulwark.web.internal.rcmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/** What may follow {@code -H "<servers>"} (spec F.7), and how long each server has. */
public class RemoteCommandTest {
  private static final Duration NORMAL = Duration.ofSeconds(120);

  @Test
  public void commandsExportAndClusterPush() {
    assertEquals(
        new RemoteCommand.Exec(List.of("state")), RemoteCommand.parse(List.of("state"), null));
    assertEquals(
        new RemoteCommand.Exec(List.of("stop", "-m", "AM")),
        RemoteCommand.parse(List.of("stop"), "AM"));
    assertEquals(new RemoteCommand.Export("AM"), RemoteCommand.parse(List.of("-E", "AM"), null));
    assertEquals(new RemoteCommand.PushCluster(), RemoteCommand.parse(List.of("-G"), null));
    // SAFEMODULE in a script does not change what -E and -G mean
    assertEquals(new RemoteCommand.PushCluster(), RemoteCommand.parse(List.of("-G"), "AM"));
  }

  @Test
  public void wrongCommandLines() {
    Object[][] cases = {
      {List.of(), "a command, -E AM or -G must follow"},
      {List.of("-E"), "-E takes one module name"},
      {List.of("-E", "a", "b"), "-E takes one module name"},
      {List.of("-E", "-G"), "-E takes one module name"},
      {List.of("-G", "x"), "-G takes no argument, not 'x'"},
      {List.of("logview"), "'logview' cannot be run on other servers"},
      {List.of("-p"), "'-p' cannot be run"},
      {List.of("-r", "errdpoll_running"), "'-r' cannot be run"},
      {List.of("-H", "*", "state"), "'-H' cannot be run"},
      {List.of("state", "-u", "me"), "-u cannot be given with -H"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> args = (List<String>) c[0];
      try {
        RemoteCommand.parse(args, null);
        fail("accepted " + args);
      } catch (IllegalArgumentException e) {
        assertTrue(args + ": " + e.getMessage(), e.getMessage().contains((String) c[1]));
      }
    }
  }

  @Test
  public void waitingCommandsHaveTheirOwnDeadlineAndAMargin() {
    Object[][] cases = {
      {List.of("state"), 120},
      {List.of("waitstate", "-t", "60", "UP"), 90},
      {List.of("waitstart"), 3630},
      {List.of("waitstop", "-t", "x"), 3630},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> args = (List<String>) c[0];
      assertEquals(
          args.toString(),
          Duration.ofSeconds((Integer) c[1]),
          new RemoteCommand.Exec(args).timeout(NORMAL));
    }
    assertEquals(NORMAL, new RemoteCommand.Export("AM").timeout(NORMAL));
  }
}
