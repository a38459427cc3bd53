package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** {@code reiallowedbw} (spec B.7) on a manual clock: copies wait just as long as the cap says. */
public class BandwidthTest {
  private long now = 1_000;
  private long paused;

  private Bandwidth cap(long kbPerSecond) {
    return new Bandwidth(
        kbPerSecond,
        () -> now,
        nanos -> {
          paused += nanos;
          now += nanos;
        });
  }

  @Test
  public void copiesAheadOfTheAllowanceWait() {
    Bandwidth b = cap(1024); // 1 MiB/s
    b.take(512 * 1024); // half a second's worth: due at +0.5 s
    assertEquals(500_000_000L, paused);
    now += 2_000_000_000L; // the copy itself took long: no wait for what is already earned
    paused = 0;
    b.take(1024 * 1024);
    assertEquals(0, paused);
  }

  @Test
  public void noCapNeverWaitsAndHugeTotalsDoNotOverflow() {
    Bandwidth none = cap(0);
    none.take(Long.MAX_VALUE / 2);
    assertEquals(0, paused);
    Bandwidth big = cap(10);
    for (int i = 0; i < 4; i++) {
      big.take(4L << 30); // 16 GiB at 10 KB/s: 19.4 days, no overflow
    }
    assertEquals(1_677_721_600_000_000L, paused); // 16 GiB / 10 KB/s = 1,677,721.6 s
  }
}
