package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * The module runtime tells its listener of every local state it publishes, in order and once each
 * (the REST API's server push, issue 12): the same states as the module log's {@code Local state}
 * lines.
 */
public class StatePublishingTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final MirrorRuntimes pair = new MirrorRuntimes(tmp);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private final Clock clock = Clock.systemUTC();
  private final MemoryStore store = new MemoryStore();

  @Test
  public void everyPublishedStateReachesTheListenerAsTheLogSaysIt() throws Exception {
    ModuleRuntime a =
        pair.start(pair.heartbeats.a, MirrorRuntimes.driver("n1", 1, clock), store, clock);
    List<ModuleStatus> published = new CopyOnWriteArrayList<>();
    a.publishTo(published::add);
    Action.Reply prim = a.command(Verb.PRIM, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    assertTrue(prim.message(), prim.accepted());
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    Action.Reply stop = a.command(Verb.STOP, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    assertTrue(stop.message(), stop.accepted());
    MirrorRuntimes.await(a, s -> is(s, ModuleState.STOP, Readiness.NOT_READY), LIMIT);

    List<String> heard = published.stream().map(s -> "Local state " + s.local()).toList();
    long deadline = System.nanoTime() + LIMIT.toNanos();
    List<String> logged = logged();
    while (!logged.equals(heard) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      logged = logged();
    }
    assertEquals(logged, heard);
    assertTrue(heard.toString(), heard.contains("Local state ALONE Ready"));
    assertEquals("Local state STOP NotReady", heard.get(heard.size() - 1));
    for (int i = 1; i < heard.size(); i++) {
      assertTrue(heard.toString(), !heard.get(i).equals(heard.get(i - 1)));
    }
    assertTrue(published.stream().allMatch(s -> s.name().equals(a.status().name())));
  }

  /** The module log's state lines (the first state, STOP NotReady, has none). */
  private List<String> logged() {
    return store.messages().stream().filter(m -> m.startsWith("Local state ")).toList();
  }
}
