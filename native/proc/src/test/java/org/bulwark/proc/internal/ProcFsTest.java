package org.bulwark.proc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.checker.ProcessTable;
import org.junit.Test;

/** The process table of this machine: a process started is listed, a process killed is not. */
public class ProcFsTest {

  private static Optional<ProcessTable.Process> find(long pid) throws Exception {
    return new ProcFs().list().stream().filter(p -> p.pid() == pid).findFirst();
  }

  @Test
  public void aProcessIsListedWhileItRuns() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "300").start();
    try {
      ProcessTable.Process p = find(sleeper.pid()).orElseThrow();
      assertEquals("sleep", p.comm());
      assertEquals("sleep 300", p.args());
      assertEquals(ProcessHandle.current().pid(), p.ppid());
    } finally {
      sleeper.destroyForcibly();
      assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
    }
    assertFalse(find(sleeper.pid()).isPresent());
  }

  @Test
  public void theListHoldsThisJvm() throws Exception {
    List<ProcessTable.Process> all = new ProcFs().list();
    assertTrue(all.stream().anyMatch(p -> p.pid() == ProcessHandle.current().pid()));
  }

  @Test
  public void namesWithSpacesAndParenthesesAndKernelThreads() {
    ProcessTable.Process p =
        ProcFs.parse(
                42,
                "42 (my (odd) app) S 7 42 42 0 -1",
                "my app\0--flag\0".getBytes(StandardCharsets.UTF_8))
            .orElseThrow();
    assertEquals(new ProcessTable.Process(42, 7, "my (odd) app", "my app --flag"), p);
    assertEquals(
        "[kworker/0:1]",
        ProcFs.parse(9, "9 (kworker/0:1) I 2 0 0", new byte[0]).orElseThrow().args());
    assertEquals(Optional.empty(), ProcFs.parse(1, "garbage", new byte[0]));
    assertEquals(Optional.empty(), ProcFs.parse(5, "5 (sleep) Z 1 5 5 0", new byte[0]));
  }
}
