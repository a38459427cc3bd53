package org.bulwark.api.net;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.bulwark.api.config.Vip;

/**
 * When gratuitous ARP is sent after a VIP is set (spec B.6, {@code interface@arpreroute}): once at
 * once, then, with arpreroute on, every {@code arpinterval} for {@code arpelapse}. A pure function
 * of the time since the VIP was set: the runtime drives it with its ticks and asks {@link
 * AddressManager#announce} for each announcement.
 *
 * @param reroute {@code arpreroute}
 * @param interval {@code arpinterval} (default 60 s)
 * @param elapse {@code arpelapse} (default 1200 s)
 */
public record ArpSchedule(boolean reroute, Duration interval, Duration elapse) {
  public ArpSchedule {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(elapse, "elapse");
    if (reroute && (interval.isZero() || interval.isNegative())) {
      throw new IllegalArgumentException("arpinterval must be positive, not " + interval);
    }
  }

  /** The schedule of an {@code <interface>}. */
  public static ArpSchedule of(Vip.Interface intf) {
    return new ArpSchedule(intf.arpreroute(), intf.arpinterval(), intf.arpelapse());
  }

  /**
   * The time (since the VIP was set) of the first announcement at or after {@code since}, empty
   * when there is none left. {@code next(ZERO)} is {@code ZERO}: the announcement made with the
   * address.
   */
  public Optional<Duration> next(Duration since) {
    if (since.isNegative() || since.isZero()) {
      return Optional.of(Duration.ZERO);
    }
    if (!reroute) {
      return Optional.empty();
    }
    long n = (since.toNanos() + interval.toNanos() - 1) / interval.toNanos();
    Duration at = interval.multipliedBy(n);
    return at.compareTo(elapse) <= 0 ? Optional.of(at) : Optional.empty();
  }
}
