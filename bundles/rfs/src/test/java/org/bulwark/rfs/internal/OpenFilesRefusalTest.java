package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * Spec C.4: the secondary refuses to start a synchronisation while replicated files are open on it.
 * Real processes hold a file of the secondary's directory open and have their working directory in
 * it; the reintegration is refused with them named, nothing of the copy changes; once they are gone
 * the next attempt (the module's, a new secondary role) reintegrates and the trees are the same.
 */
public class OpenFilesRefusalTest {
  private static final long LIMIT = 60_000;

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.243", "127.0.3.244", 19443);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /** {@code sh -c script} in {@code dir}, once it has said it is ready. */
  private static Process holder(Path dir, String script) throws IOException {
    Process p =
        new ProcessBuilder("sh", "-c", script + "; echo ready; exec sleep 600")
            .directory(dir.toFile())
            .start();
    assertEquals("the holder started", 'r', p.getInputStream().read());
    return p;
  }

  @Test
  public void openFilesOnTheSecondaryRefuseTheSynchronisationUntilClosed() throws Exception {
    Files.writeString(pair.a.get(0).resolve("held"), "primary");
    Files.createDirectories(pair.a.get(0).resolve("sub"));
    Files.writeString(pair.b.get(0).resolve("held"), "secondary, untouched");
    Files.createDirectories(pair.b.get(0).resolve("sub"));
    Path real = pair.b.get(0).toRealPath();
    Process reader = holder(tmp.getRoot().toPath(), "exec 3<" + real.resolve("held"));
    Process inside = holder(real.resolve("sub"), "true");
    try {
      pair.open();
      pair.node1.startPrimary(false);
      pair.node2.startSecondary("");

      String ended = pair.two.await(e -> e.startsWith("reintegrated "), LIMIT);
      assertTrue(
          ended,
          ended.startsWith("reintegrated false replicated files are open on the secondary by "));
      assertTrue(ended, ended.contains("sleep[" + reader.pid() + "] " + real.resolve("held")));
      assertTrue(ended, ended.contains("sleep[" + inside.pid() + "] " + real.resolve("sub")));
      String line =
          pair.two.await(e -> e.startsWith("log E reintegre Synchronization refused: "), LIMIT);
      assertTrue(line, line.contains("sleep[" + reader.pid() + "]"));
      // the primary is told why; nothing of the copy changed
      pair.one.await(e -> e.contains("the secondary failed: replicated files are open"), LIMIT);
      assertFalse(pair.two.events().contains("reintegration started"));
      assertEquals("secondary, untouched", Files.readString(pair.b.get(0).resolve("held")));
      assertEquals("absent", pair.node2.status().link());
      assertTrue(pair.two.events().contains("resource rfs.reintegre_failed=up"));
    } finally {
      for (Process p : new Process[] {reader, inside}) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }

    // the module's next attempt, a new secondary role: nothing is open any more
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.two.clear();
    pair.node2.startSecondary("");
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    pair.assertSameTrees("after the holders closed");
    assertEquals("primary", Files.readString(pair.b.get(0).resolve("held")));
    assertTrue(pair.two.events().contains("resource rfs.reintegre_failed=down"));
  }
}
