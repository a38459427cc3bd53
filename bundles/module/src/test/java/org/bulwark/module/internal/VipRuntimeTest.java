package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * The runtime drives a mirror module's VIP from the plans (spec B.6, E.4): set on becoming primary,
 * removed on leaving; a VIP that cannot be set stops the module instead of starting it.
 */
public class VipRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore store = pair.storeA;

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

  @Test
  public void setOnBecomingPrimary_removedOnStop() throws Exception {
    RecordingVip vip = new RecordingVip();
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    a.vipWith(vip);
    MirrorRuntimes.alone(a);
    assertEquals(List.of("set"), vip.calls());

    a.command(Verb.STOP, Origin.admin("root"), "").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> s.state() == ModuleState.STOP, LIMIT);
    assertEquals(List.of("set", "remove"), vip.calls());
  }

  @Test
  public void aVipThatCannotBeSet_stopsTheModule_saysWhy() throws Exception {
    RecordingVip vip = new RecordingVip();
    vip.failure = "Virtual IP 10.0.0.100 cannot be set on eth9: no such interface";
    ModuleRuntime a = pair.startA(pair.driver("n1"));
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
