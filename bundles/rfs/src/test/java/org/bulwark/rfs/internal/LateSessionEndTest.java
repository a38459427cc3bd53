package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.config.Rfs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A secondary's session whose end is reported only after the next session began (its thread held
 * up): the report says nothing of the next session, which keeps its copy up to date (issue 9).
 * Reported, it would tell the module that a secondary that is synchronised is not.
 */
public class LateSessionEndTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.235", "127.0.3.236", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHooks() {
    SecondaryHandler.beforeApply = null;
    SecondaryHandler.lostReport = null;
  }

  @Test
  public void anEndReportedAfterTheNextSessionBeganSaysNothing() throws Exception {
    pair.async(Rfs.Async.SECOND);
    pair.open();
    pair.start();
    SecondaryHandler first = pair.node2.secondaryHandler();
    CompletableFuture<Runnable> late = new CompletableFuture<>();
    SecondaryHandler.lostReport =
        report -> {
          if (!late.complete(report)) {
            report.run(); // only the first session's report is held up
          }
        };
    AtomicInteger failed = new AtomicInteger();
    SecondaryHandler.beforeApply =
        c -> {
          if (c.path().equals("/late") && failed.compareAndSet(0, 1)) {
            throw new IOException("the secondary's disk failed (test)");
          }
        };
    pair.two.clear();
    Files.write(pair.a.get(0).resolve("late"), new byte[4096]);

    Runnable report = late.get(30, TimeUnit.SECONDS);
    pair.one.await(e -> e.startsWith("degraded "), 30_000);
    // the same replica connects again by itself: a new session, reintegrated
    pair.two.await(e -> e.equals("reintegrated true"), 60_000);
    assertNotSame("a new session", first, pair.node2.secondaryHandler());

    report.run();
    List<String> lost = pair.two.events().stream().filter(e -> e.startsWith("lost ")).toList();
    assertEquals("the first session's end, reported late, is not the second's", List.of(), lost);
    assertEquals("the secondary failed once", 1, failed.get());
    pair.assertSameTrees("after the second session's reintegration");
  }
}
