package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.checker.CheckerSession;
import org.bulwark.api.checker.CheckerTarget;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * The module runtime feeds its checks the states it publishes and the {@code usersetting.*} values,
 * and carries out errd's commands with an {@code errd} origin (spec B.10, B.11).
 */
public class CheckerWiringTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore store = pair.storeA;

  /** A session that completes futures when it sees what the test waits for. */
  private static final class Seen implements CheckerSession {
    final CompletableFuture<LocalState> alone = new CompletableFuture<>();
    final CompletableFuture<String> setting = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    @Override
    public void state(LocalState state) {
      if (state.is(ModuleState.ALONE, Readiness.READY)) {
        alone.complete(state);
      }
    }

    @Override
    public void resourceSet(String resource, String value) {
      if (resource.startsWith("usersetting.")) {
        setting.complete(resource + "=" + value);
      }
    }

    @Override
    public void close() {
      closed.complete(null);
    }
  }

  @Test
  public void theRuntimeFeedsItsChecksAndRunsErrdsCommands() throws Exception {
    ModuleRuntime m = pair.startA(pair.driver("n1"));
    Seen first = new Seen();
    m.checkWith(first);
    MirrorRuntimes.accepted(m, Verb.PRIM);
    first.alone.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);

    m.setResource("usersetting.checker", "off", "root").get(20, TimeUnit.SECONDS);
    assertEquals("usersetting.checker=off", first.setting.get(20, TimeUnit.SECONDS));

    // a new configuration of <check>: the old checks end, the new ones see the state at once
    Seen second = new Seen();
    m.checkWith(second);
    first.closed.get(20, TimeUnit.SECONDS);
    second.alone.get(20, TimeUnit.SECONDS);

    CheckerTarget target = CheckerWiring.target(m, m.journal());
    target.resource("tcp.db", "down", "tcpcheck");
    target.command("restart", "errd");
    // the loop runs in order: once this is recorded, what the target enqueued before is done
    m.setResource("barrier", "up", "test").get(20, TimeUnit.SECONDS);
    List<String> messages = store.messages();
    assertTrue(messages.toString(), messages.contains("Resource tcp.db set to down by tcpcheck"));
    assertTrue(messages.toString(), messages.contains("Action restart called by errd"));
    assertEquals("down", target.current("tcp.db").orElseThrow());
  }
}
