package org.bulwark.shell.internal.commands;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/** The Karaf command's options become the {@code safekit} command line in SafeKit's order. */
public class SafekitCommandTest {

  @Test
  public void optionsBeforeTheCommandAsSafekitTakesThem() {
    assertEquals(
        List.of("-H", "*", "state"),
        SafekitCommand.commandLine("*", null, false, null, false, null, List.of("state")));
    assertEquals(
        List.of("-H", "node1,node2", "-E", "mirror"),
        SafekitCommand.commandLine("node1,node2", "mirror", false, null, false, null, null));
    assertEquals(
        List.of("-H", "*", "-G"),
        SafekitCommand.commandLine("*", null, true, null, false, null, null));
    assertEquals(
        List.of("-m", "mirror", "-H", "n2", "stop"),
        SafekitCommand.commandLine("n2", null, false, "mirror", false, null, List.of("stop")));
    assertEquals(
        List.of("-m", "farm", "-r", "vip_if_ctrl", "-l"),
        SafekitCommand.commandLine(null, null, false, "farm", false, "vip_if_ctrl", List.of("-l")));
    assertEquals(
        List.of("-p"), SafekitCommand.commandLine(null, null, false, null, true, null, null));
    assertEquals(
        List.of("--help"), SafekitCommand.commandLine(null, null, false, null, false, null, null));
    assertEquals(
        List.of("state", "-m", "mirror"),
        SafekitCommand.commandLine(
            null, null, false, null, false, null, List.of("state", "-m", "mirror")));
  }
}
