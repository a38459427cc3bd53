package org.bulwark.api.net;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.Test;

public class ArpScheduleTest {
  private static Optional<Duration> s(long seconds) {
    return Optional.of(Duration.ofSeconds(seconds));
  }

  @Test
  public void withoutArprerouteOnlyTheFirstAnnouncement() {
    ArpSchedule a = new ArpSchedule(false, Duration.ofSeconds(60), Duration.ofSeconds(1200));
    assertEquals(s(0), a.next(Duration.ZERO));
    assertEquals(Optional.empty(), a.next(Duration.ofMillis(1)));
  }

  @Test
  public void arprerouteRepeatsEveryIntervalDuringElapse() {
    // the old templates' values (spec B.6): every 5 s for 60 s
    ArpSchedule a = new ArpSchedule(true, Duration.ofSeconds(5), Duration.ofSeconds(60));
    assertEquals(s(0), a.next(Duration.ZERO));
    assertEquals(s(5), a.next(Duration.ofMillis(1)));
    assertEquals(s(5), a.next(Duration.ofSeconds(5)));
    assertEquals(s(10), a.next(Duration.ofMillis(5001)));
    assertEquals(s(60), a.next(Duration.ofSeconds(58)));
    assertEquals(Optional.empty(), a.next(Duration.ofMillis(60001)));
  }
}
