package org.bulwark.web.internal.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.Test;

public class LoginLimiterTest {

  /** A clock the test moves. */
  private static final class ManualClock implements Supplier<Instant> {
    private Instant now = Instant.parse("2026-12-05T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant get() {
      return now;
    }
  }

  @Test
  public void fiveFailuresBlockTheAddressForAMinute() {
    ManualClock clock = new ManualClock();
    LoginLimiter limiter = new LoginLimiter(clock);
    for (int i = 0; i < LoginLimiter.MAX_FAILURES - 1; i++) {
      limiter.failed("10.0.0.1");
      assertEquals(Optional.empty(), limiter.blocked("10.0.0.1"));
    }
    limiter.failed("10.0.0.1");
    assertEquals(Optional.of(LoginLimiter.PENALTY), limiter.blocked("10.0.0.1"));
    assertEquals("another address is not blocked", Optional.empty(), limiter.blocked("10.0.0.2"));
    clock.advance(Duration.ofSeconds(59));
    assertEquals(Optional.of(Duration.ofSeconds(1)), limiter.blocked("10.0.0.1"));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), limiter.blocked("10.0.0.1"));
    // each further burst of failures is another penalty
    for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
      limiter.failed("10.0.0.1");
    }
    assertTrue(limiter.blocked("10.0.0.1").isPresent());
  }

  @Test
  public void failuresOutsideTheWindowAndSuccessesReset() {
    ManualClock clock = new ManualClock();
    LoginLimiter limiter = new LoginLimiter(clock);
    for (int i = 0; i < LoginLimiter.MAX_FAILURES - 1; i++) {
      limiter.failed("a");
    }
    clock.advance(LoginLimiter.WINDOW.plusSeconds(1));
    limiter.failed("a");
    assertEquals(Optional.empty(), limiter.blocked("a"));
    for (int i = 0; i < LoginLimiter.MAX_FAILURES - 2; i++) {
      limiter.failed("a");
    }
    limiter.succeeded("a");
    limiter.failed("a");
    assertEquals(Optional.empty(), limiter.blocked("a"));
  }

  @Test
  public void theNumberOfAddressesTrackedIsBounded() {
    LoginLimiter limiter = new LoginLimiter(new ManualClock());
    for (int i = 0; i < LoginLimiter.MAX_ADDRESSES + 10; i++) {
      limiter.failed("addr-" + i);
    }
    for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
      limiter.failed("last");
    }
    assertTrue(limiter.blocked("last").isPresent());
  }
}
