package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** What the interception watch takes for a lost mount, and what it leaves to the null request. */
public class InterceptionWatchTest {
  private static final List<Path> DIRS = List.of(Path.of("/srv/a"), Path.of("/srv/b"));
  private static final long[] MOUNTED = {0x40, 0x41};

  /** Devices read from a table; a missing one fails as an unanswered stat. */
  private static InterceptionWatch.Devices table(Map<Path, Long> now) {
    return dir -> {
      Long dev = now.get(dir);
      if (dev == null) {
        throw new IOException("Transport endpoint is not connected");
      }
      return dev;
    };
  }

  @Test
  public void whatCountsAsLost() {
    record Case(String what, Map<Path, Long> now, Optional<Integer> lost) {}
    Path a = DIRS.get(0);
    Path b = DIRS.get(1);
    for (Case c :
        List.of(
            new Case("both still mounted", Map.of(a, 0x40L, b, 0x41L), Optional.empty()),
            new Case("second unmounted", Map.of(a, 0x40L, b, 0x803L), Optional.of(1)),
            new Case("first covered by another", Map.of(a, 0x41L, b, 0x41L), Optional.of(0)),
            new Case("first not answering", Map.of(b, 0x41L), Optional.empty()),
            new Case("first not answering, second gone", Map.of(b, 0x803L), Optional.of(1)))) {
      Optional<InterceptionWatch.Lost> got =
          InterceptionWatch.firstLost(DIRS, MOUNTED, table(c.now()));
      assertEquals(c.what(), c.lost(), got.map(InterceptionWatch.Lost::dir));
    }
    InterceptionWatch.Lost lost =
        InterceptionWatch.firstLost(DIRS, MOUNTED, table(Map.of(a, 0x40L, b, 0x803L))).get();
    assertEquals("the directory is on device 803, no longer on its mount's device 41", lost.why());
  }

  @Test
  public void reportsOnceThenStops() throws Exception {
    Map<Path, Long> now = new ConcurrentHashMap<>(Map.of(DIRS.get(0), 0x40L, DIRS.get(1), 0x41L));
    List<String> reported = new CopyOnWriteArrayList<>();
    CountDownLatch first = new CountDownLatch(1);
    InterceptionWatch w =
        InterceptionWatch.start(
            DIRS,
            table(now),
            5,
            (dir, why) -> {
              reported.add(dir.toString());
              first.countDown();
            });
    try {
      now.put(DIRS.get(0), 0x803L);
      assertTrue("not reported", first.await(30, TimeUnit.SECONDS));
      // no comparison is scheduled any more: a second directory lost is not reported
      assertFalse(w.watching());
      assertEquals(List.of("/srv/a"), reported);
    } finally {
      w.stop();
    }
  }
}
