package org.bulwark.heartbeat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartbeatMessage;
import org.junit.Test;

public class HeartbeatCodecTest {

  static HeartbeatMessage sample(Random r) {
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
        r.nextBoolean());
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
