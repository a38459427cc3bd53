package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code safekit -r errdpoll_running}: the processes in SAFEVAR/errdpoll_reserrd, by pid. */
public class ErrdPollTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final StringWriter text = new StringWriter();
  private final PrintWriter writer = new PrintWriter(text, true);
  private final CliOutput out = CliOutput.of(writer, writer);

  @Test
  public void theProcessesAreWrittenInPidOrder() throws Exception {
    ProcessTable table =
        () ->
            List.of(
                new ProcessTable.Process(20, 1, "httpd", "/usr/sbin/httpd -k start"),
                new ProcessTable.Process(3, 0, "init", "/sbin/init"));
    Path safeVar = tmp.getRoot().toPath().resolve("var");
    assertEquals(CliExit.OK, ErrdPoll.dump(Optional.of(table), safeVar, out));
    assertEquals(
        List.of("3 init /sbin/init (parent=0)", "20 httpd /usr/sbin/httpd -k start (parent=1)"),
        Files.readAllLines(safeVar.resolve("errdpoll_reserrd")));
    assertEquals(
        "2 processes written to " + safeVar.resolve("errdpoll_reserrd") + "\n", text.toString());
  }

  @Test
  public void withoutAProcessTableItSaysWhy() throws Exception {
    assertEquals(CliExit.FAILED, ErrdPoll.dump(Optional.empty(), tmp.getRoot().toPath(), out));
    assertEquals("Error: no process table on this node (feature bulwark-proc)\n", text.toString());
  }
}
