package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * The {@code _rfs_*} callbacks of {@code <rfs scripts="on">} (spec B.7, E.7): {@code
 * _rfs_startsynch} before every synchronisation of the secondary, {@code _rfs_pritoscd} first on a
 * former primary; a failing one stops the reintegration before anything of the copy changed.
 */
public class RfsCallbacksTest {
  private static final long LIMIT = 60_000;

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private List<String> callbacksAndStart(Recorder r) {
    return r.events().stream()
        .filter(e -> e.startsWith("callback ") || e.equals("reintegration started"))
        .toList();
  }

  @Test
  public void startsynchRunsBeforeTheReintegrationChangesAnything() throws Exception {
    pair.rfs = TestRfs.withScripts(pair.rfs, true);
    Files.writeString(pair.a.get(0).resolve("f"), "primary");
    pair.open();
    pair.start();

    assertEquals(
        List.of("callback _rfs_startsynch", "reintegration started"), callbacksAndStart(pair.two));
    assertTrue(pair.one.events().stream().noneMatch(e -> e.startsWith("callback ")));
    pair.assertSameTrees("after the first reintegration");
  }

  @Test
  public void aCallbackLongerThanTheLinksTimeoutsKeepsTheSession() throws Exception {
    // sendtimeout 3 s: the primary gives up on a silent secondary after 3 s, the secondary on a
    // silent primary after 2 s; the callback takes 4 s, and the session lives through it
    pair.rfs =
        TestRfs.withScripts(
            TestRfs.with(
                List.of("/srv/app/d0"),
                org.bulwark.api.config.Rfs.Async.SECOND,
                Duration.ofSeconds(100),
                Duration.ofSeconds(3),
                8388608L),
            true);
    pair.two.callbackTime = Duration.ofSeconds(4);
    Files.writeString(pair.a.get(0).resolve("f"), "primary");
    pair.open();
    pair.start();
    pair.assertSameTrees("after a slow callback");
    assertTrue(pair.two.events().stream().noneMatch(e -> e.startsWith("lost ")));
  }

  @Test
  public void withoutScriptsNoCallbackRuns() throws Exception {
    pair.open();
    pair.start();
    assertEquals(List.of("reintegration started"), callbacksAndStart(pair.two));
  }

  @Test
  public void aFailingStartsynchStopsTheReintegrationWithNothingChanged() throws Exception {
    pair.rfs = TestRfs.withScripts(pair.rfs, true);
    Files.writeString(pair.a.get(0).resolve("f"), "primary");
    Files.writeString(pair.b.get(0).resolve("f"), "secondary, untouched");
    pair.two.callbackExits.put(RfsCallbacks.STARTSYNCH, 2);
    pair.open();
    pair.node1.startPrimary(false);
    pair.node2.startSecondary("");

    String ended = pair.two.await(e -> e.startsWith("reintegrated "), LIMIT);
    assertEquals("reintegrated false callback _rfs_startsynch ended with exit code 2", ended);
    assertTrue(
        pair.two
            .events()
            .contains(
                "log E reintegre Reintegration stopped: callback _rfs_startsynch ended with exit"
                    + " code 2"));
    // the primary is told why
    pair.one.await(e -> e.contains("the secondary failed: callback _rfs_startsynch"), LIMIT);
    assertFalse(pair.two.events().contains("reintegration started"));
    assertEquals("secondary, untouched", Files.readString(pair.b.get(0).resolve("f")));
    assertEquals("absent", pair.node2.status().link());
  }

  @Test
  public void aFormerPrimaryRunsPritoscdFirstUntilItIsSynchronised() throws Exception {
    pair.rfs = TestRfs.withScripts(pair.rfs, true);
    pair.open();
    // node 2 served as primary (e.g. before a failover), then comes back as secondary
    pair.node2.startPrimary(false);
    Files.writeString(pair.b.get(0).resolve("written as primary"), "x");
    pair.node2.stopPrimary(Duration.ofSeconds(5));
    pair.two.clear();

    // pritoscd fails: nothing is synchronised, and the node stays a former primary
    pair.two.callbackExits.put(RfsCallbacks.PRITOSCD, 1);
    pair.node1.startPrimary(false);
    pair.node2.startSecondary("");
    assertEquals(
        "reintegrated false callback _rfs_pritoscd ended with exit code 1",
        pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    assertEquals(List.of("callback _rfs_pritoscd"), callbacksAndStart(pair.two));
    pair.node2.stopSecondary(Duration.ofSeconds(5));

    // the next attempt waits a while (no loop of a failing script), then synchronises; the wait
    // runs from the failure, so it must outlast the stop above on a loaded machine
    pair.node2.callbacks().retry(Duration.ofSeconds(3));
    pair.two.clear();
    pair.two.callbackExits.clear();
    pair.node2.startSecondary("");
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    assertEquals(
        List.of("callback _rfs_pritoscd", "callback _rfs_startsynch", "reintegration started"),
        callbacksAndStart(pair.two));
    assertTrue(
        pair.two.events().toString(),
        pair.two.events().stream()
            .anyMatch(
                e ->
                    e.matches(
                        "log I reintegre Synchronization in [1-3] s: a callback failed before")));
    pair.assertSameTrees("after the reintegration of the former primary");

    // synchronised as secondary: no longer a former primary
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.two.clear();
    pair.node2.startSecondary("");
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    assertEquals(
        List.of("callback _rfs_startsynch", "reintegration started"), callbacksAndStart(pair.two));
    assertTrue(pair.two.events().stream().noneMatch(e -> e.contains("Synchronization in")));
  }
}
