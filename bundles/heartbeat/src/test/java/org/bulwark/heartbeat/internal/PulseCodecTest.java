package org.bulwark.heartbeat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.bulwark.api.farm.FarmView;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.automaton.farm.Role;
import org.junit.Test;

public class PulseCodecTest {

  static Pulse sample(Random r) {
    TreeMap<String, Long> members = new TreeMap<>();
    int n = r.nextInt(33);
    for (int i = 0; i < n; i++) {
      members.put("nodé" + r.nextInt(1000), r.nextLong());
    }
    String leader = members.isEmpty() ? "" : members.firstKey();
    return new Pulse(
        "farm" + r.nextInt(100),
        "node" + r.nextInt(40),
        r.nextLong(),
        r.nextLong(),
        Role.values()[r.nextInt(Role.values().length)],
        new FarmView(members.isEmpty() ? 0 : r.nextLong(), leader, members));
  }

  private static long seed() {
    long seed = Long.getLong("seed", System.nanoTime());
    System.out.println("PulseCodecTest seed=" + seed + " (replay with -Dseed=" + seed + ")");
    return seed;
  }

  @Test
  public void everyPulseSurvivesTheRoundTrip() {
    Random r = new Random(seed());
    for (int i = 0; i < 5_000; i++) {
      Pulse p = sample(r);
      byte[] wire = PulseCodec.encode(p);
      assertTrue(wire.length <= PulseCodec.MAX_SIZE);
      assertEquals(Optional.of(p), PulseCodec.decode(ByteBuffer.wrap(wire)));
    }
  }

  private static Optional<Pulse> decode(byte[] b) {
    return PulseCodec.decode(ByteBuffer.wrap(b));
  }

  @Test
  public void malformedPulsesAreRefusedNeverThrown() {
    Random r = new Random(seed());
    Pulse p = sample(r);
    while (p.view().members().size() < 2) {
      p = sample(r);
    }
    byte[] good = PulseCodec.encode(p);
    for (int cut = 0; cut < good.length; cut++) {
      assertEquals(Optional.empty(), decode(Arrays.copyOf(good, cut)));
    }
    assertEquals(Optional.empty(), decode(Arrays.copyOf(good, good.length + 1)));
    byte[] badVersion = good.clone();
    badVersion[4] = 2;
    assertEquals(Optional.empty(), decode(badVersion));
    byte[] badMagic = good.clone();
    badMagic[0] ^= 1;
    assertEquals(Optional.empty(), decode(badMagic));

    // structurally wrong views: a leader outside its view, members out of order or repeated
    TreeMap<String, Long> m = new TreeMap<>(p.view().members());
    Pulse outside =
        new Pulse(p.module(), p.node(), 1, 1, Role.LEADER, new FarmView(3, "zzz-not-a-member", m));
    assertEquals(Optional.empty(), decode(PulseCodec.encode(outside)));
    Pulse leaderless = new Pulse(p.module(), p.node(), 1, 1, Role.LEADER, new FarmView(3, "", m));
    assertEquals(Optional.empty(), decode(PulseCodec.encode(leaderless)));
    byte[] twice =
        PulseCodec.encode(
            new Pulse(
                p.module(),
                p.node(),
                1,
                1,
                Role.LEADER,
                new FarmView(3, "a", new TreeMap<>(java.util.Map.of("a", 1L, "b", 2L)))));
    // rename member "b" into "a": the same name twice
    for (int i = twice.length - 9; i >= 0; i--) {
      if (twice[i] == 'b' && twice[i - 1] == 1) {
        twice[i] = 'a';
        break;
      }
    }
    assertEquals(Optional.empty(), decode(twice));
    byte[] badRole = PulseCodec.encode(new Pulse("m", "n", 1, 1, Role.OUT, FarmView.NONE));
    badRole[4 + 1 + 2 + 2 + 16] = 9;
    assertEquals(Optional.empty(), decode(badRole));

    for (int i = 0; i < 50_000; i++) {
      byte[] noise = good.clone();
      for (int k = 0; k <= r.nextInt(4); k++) {
        noise[r.nextInt(noise.length)] = (byte) r.nextInt();
      }
      decode(noise);
      byte[] random = new byte[r.nextInt(300)];
      r.nextBytes(random);
      decode(random);
    }
  }
}
