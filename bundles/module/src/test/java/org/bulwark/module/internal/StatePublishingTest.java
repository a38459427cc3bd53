package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * The module runtime tells its listener of every local state it publishes, in order and once each
 * (the REST API's server push, issue 12): the same states as the module log's {@code Local state}
 * lines.
 */
public class StatePublishingTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore store = pair.storeA;

  @Test
  public void everyPublishedStateReachesTheListenerAsTheLogSaysIt() throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    List<ModuleStatus> published = new CopyOnWriteArrayList<>();
    a.publishTo(published::add);
    MirrorRuntimes.alone(a);
    MirrorRuntimes.accepted(a, Verb.STOP);
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
