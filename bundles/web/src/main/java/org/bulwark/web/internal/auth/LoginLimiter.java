package org.bulwark.web.internal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Rate limiting of logins per client address: after {@link #MAX_FAILURES} failed logins within
 * {@link #WINDOW}, the address is refused for {@link #PENALTY} whatever it sends: a client guessing
 * passwords gets about five tries a minute instead of thousands a second. A successful login clears
 * the address's count.
 */
public final class LoginLimiter {
  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(5);
  static final Duration PENALTY = Duration.ofMinutes(1);

  /** Addresses tracked at most; older entries are dropped first when full. */
  static final int MAX_ADDRESSES = 10_000;

  private record Failures(int count, Instant first, Instant blockedUntil) {}

  /** The time now (an input, so that tests drive it). */
  private final Supplier<Instant> clock;

  // guarded by this
  private final Map<String, Failures> failures = new HashMap<>();

  public LoginLimiter(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /** How long {@code address} must still wait, if it is refused now. */
  public synchronized Optional<Duration> blocked(String address) {
    Failures f = failures.get(address);
    Instant now = clock.get();
    if (f == null || f.blockedUntil() == null || !now.isBefore(f.blockedUntil())) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, f.blockedUntil()));
  }

  /** Counts a failed login from {@code address}. */
  public synchronized void failed(String address) {
    Instant now = clock.get();
    Failures f = failures.get(address);
    if (f == null || now.isAfter(f.first().plus(WINDOW))) {
      f = new Failures(0, now, null);
    }
    int count = f.count() + 1;
    Instant until = count >= MAX_FAILURES ? now.plus(PENALTY) : null;
    if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
      failures.values().removeIf(old -> now.isAfter(old.first().plus(WINDOW)));
      if (failures.size() >= MAX_ADDRESSES) {
        failures.remove(failures.keySet().iterator().next());
      }
    }
    // after a penalty the count starts again: each further failure is one more penalty
    failures.put(
        address, new Failures(until == null ? count : 0, until == null ? f.first() : now, until));
  }

  /** Clears the failures of {@code address} after a successful login. */
  public synchronized void succeeded(String address) {
    failures.remove(address);
  }
}
