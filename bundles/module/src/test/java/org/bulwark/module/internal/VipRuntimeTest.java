package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * The runtime drives a mirror module's VIP from the plans (spec B.6, E.4): set on becoming primary,
 * removed on leaving; a VIP that cannot be set stops the module instead of starting it.
 */
public class VipRuntimeTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final MirrorRuntimes pair = new MirrorRuntimes(tmp);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  private final Clock clock = Clock.systemUTC();
  private final MemoryStore store = new MemoryStore();

  /** A module VIP that records its calls and fails its set when told to. */
  static final class RecordingVip implements ModuleVip {
    final List<String> calls = new ArrayList<>();
    volatile String failure;

    @Override
    public synchronized void set() throws IOException {
      calls.add("set");
      if (failure != null) {
        throw new IOException(failure);
      }
    }

    @Override
    public synchronized void remove() {
      calls.add("remove");
    }

    @Override
    public List<String> held() {
      return List.of();
    }

    @Override
    public synchronized void close() {
      calls.add("close");
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }
  }

  private static boolean is(LocalState s, ModuleState state, Readiness readiness) {
    return s.state() == state && s.readiness() == readiness;
  }

  @Test
  public void setOnBecomingPrimary_removedOnStop() throws Exception {
    RecordingVip vip = new RecordingVip();
    ModuleRuntime a =
        pair.start(pair.heartbeats.a, MirrorRuntimes.driver("n1", 1, clock), store, clock);
    a.vipWith(vip);
    Action.Reply prim = a.command(Verb.PRIM, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    assertTrue(prim.message(), prim.accepted());
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    assertEquals(List.of("set"), vip.calls());

    a.command(Verb.STOP, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> s.state() == ModuleState.STOP, LIMIT);
    assertEquals(List.of("set", "remove"), vip.calls());
  }

  @Test
  public void aVipThatCannotBeSet_stopsTheModule_saysWhy() throws Exception {
    RecordingVip vip = new RecordingVip();
    vip.failure = "Virtual IP 10.0.0.100 cannot be set on eth9: no such interface";
    ModuleRuntime a =
        pair.start(pair.heartbeats.a, MirrorRuntimes.driver("n1", 1, clock), store, clock);
    a.vipWith(vip);
    a.command(Verb.PRIM, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> s.state() == ModuleState.STOP, LIMIT);
    List<String> log = store.messages();
    int failed = log.indexOf("Virtual IP 10.0.0.100 cannot be set on eth9: no such interface");
    int stop = log.indexOf("Action stop called by vipplug");
    assertTrue(log.toString(), failed >= 0 && stop > failed);
    assertTrue(log.toString(), !log.contains("Local state ALONE Ready"));
    // the stop removes whatever the failed set may have left
    assertEquals(List.of("set", "remove"), vip.calls());
  }
}
