package org.bulwark.heartbeat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartbeatMessage;
import org.junit.Test;

public class HeartbeatCodecTest {

  static HeartbeatMessage sample(Random r) {
    HeartbeatMessage m = bare(r);
    if (r.nextBoolean()) {
      return m;
    }
    Map<String, String> set = new TreeMap<>();
    for (int i = r.nextInt(12); i > 0; i--) {
      set.put("custom.r" + r.nextInt(1000), r.nextBoolean() ? "up" : "dowñ");
    }
    return m.withResources(set);
  }

  private static HeartbeatMessage bare(Random r) {
    ModuleState[] states = ModuleState.values();
    Readiness[] levels = Readiness.values();
    return new HeartbeatMessage(
        "mirror" + r.nextInt(100),
        "nodé-" + r.nextInt(10),
        r.nextLong(),
        r.nextLong(),
        LocalState.of(states[r.nextInt(states.length)], levels[r.nextInt(levels.length)]),
        new DataFreshness(
            r.nextBoolean(),
            r.nextLong(),
            r.nextBoolean(),
            r.nextBoolean(),
            r.nextLong(),
            r.nextLong()),
        r.nextBoolean(),
        r.nextBoolean(),
        r.nextBoolean(),
        r.nextBoolean(),
        r.nextBoolean(),
        Map.of());
  }

  private static long seed() {
    long seed = Long.getLong("seed", System.nanoTime());
    System.out.println("HeartbeatCodecTest seed=" + seed + " (replay with -Dseed=" + seed + ")");
    return seed;
  }

  @Test
  public void everyMessageSurvivesTheRoundTrip() {
    Random r = new Random(seed());
    for (int i = 0; i < 10_000; i++) {
      HeartbeatMessage m = sample(r);
      byte[] wire = HeartbeatCodec.encode(m);
      assertTrue(wire.length <= HeartbeatCodec.MAX_SIZE);
      assertEquals(Optional.of(m), HeartbeatCodec.decode(ByteBuffer.wrap(wire)));
    }
  }

  @Test
  public void aPulseWithoutResourcesIsTheFormatBeforeThem() {
    HeartbeatMessage m = bare(new Random(seed()));
    // magic, version, 2 lengths, incarnation and seq, state, data, flags
    int expected = 4 + 1 + 2 + m.module().length() + m.node().getBytes().length + 16 + 2 + 25 + 1;
    assertEquals(expected, HeartbeatCodec.encode(m).length);
  }

  @Test
  public void resourcesThatDoNotFitAreLeftOut() {
    Map<String, String> many = new TreeMap<>();
    for (int i = 0; i < 200; i++) {
      many.put(String.format("custom.resource%03d", i), "down");
    }
    HeartbeatMessage m = bare(new Random(seed())).withResources(many);
    byte[] wire = HeartbeatCodec.encode(m);
    assertTrue(wire.length <= HeartbeatCodec.MAX_SIZE);
    Map<String, String> got = HeartbeatCodec.decode(ByteBuffer.wrap(wire)).get().resources();
    assertTrue(got.size() > 30 && got.size() < 200);
    assertEquals("down", got.get("custom.resource000")); // in name order: the first ones fit
  }

  @Test
  public void garbageIsRejectedNeverThrown() {
    Random r = new Random(seed());
    byte[] good = HeartbeatCodec.encode(sample(r));
    // truncations, bit flips in the header and random bytes: never an exception
    for (int cut = 0; cut < good.length; cut++) {
      assertEquals(Optional.empty(), HeartbeatCodec.decode(ByteBuffer.wrap(good, 0, cut)));
    }
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertEquals(Optional.empty(), HeartbeatCodec.decode(ByteBuffer.wrap(trailing)));
    byte[] badVersion = good.clone();
    badVersion[4] = 2;
    assertEquals(Optional.empty(), HeartbeatCodec.decode(ByteBuffer.wrap(badVersion)));
    byte[] badMagic = good.clone();
    badMagic[0] ^= 1;
    assertEquals(Optional.empty(), HeartbeatCodec.decode(ByteBuffer.wrap(badMagic)));
    for (int i = 0; i < 50_000; i++) {
      byte[] noise = good.clone();
      for (int k = 0; k <= r.nextInt(4); k++) {
        noise[r.nextInt(noise.length)] = (byte) r.nextInt();
      }
      HeartbeatCodec.decode(ByteBuffer.wrap(noise));
      byte[] random = new byte[r.nextInt(200)];
      r.nextBytes(random);
      HeartbeatCodec.decode(ByteBuffer.wrap(random));
    }
  }
}
