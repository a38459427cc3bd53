package org.bulwark.automaton;

import java.util.List;
import java.util.Objects;

/**
 * The {@code <heart>} of a mirror module (spec B.4): one entry per {@code <heartbeat>} lan.
 *
 * @param lans the heartbeats, at least one
 */
public record HeartConfig(List<Lan> lans) {

  /** Default pulse 700 ms and timeout 30000 ms (spec B.4). */
  public static final long DEFAULT_PULSE = 700;

  public static final long DEFAULT_TIMEOUT = 30_000;

  /**
   * One heartbeat.
   *
   * @param ident the label of resource {@code heartbeat.<ident>} (defaults to the lan name)
   * @param pulseMillis interval between two messages
   * @param timeoutMillis silence after which the lan is down
   */
  public record Lan(String ident, long pulseMillis, long timeoutMillis) {
    public Lan {
      Objects.requireNonNull(ident, "ident");
      if (pulseMillis <= 0 || timeoutMillis <= 0) {
        throw new IllegalArgumentException(
            "heartbeat " + ident + ": pulse and timeout must be > 0");
      }
    }
  }

  public HeartConfig {
    lans = List.copyOf(lans);
    if (lans.isEmpty()) {
      throw new IllegalArgumentException("heart: at least one heartbeat is needed");
    }
  }

  /** Same pulse and timeout on every lan. */
  public static HeartConfig of(long pulse, long timeout, String... idents) {
    return new HeartConfig(
        java.util.Arrays.stream(idents).map(i -> new Lan(i, pulse, timeout)).toList());
  }

  /** The shortest pulse: how often the driver sends. */
  public long pulse() {
    return lans.stream().mapToLong(Lan::pulseMillis).min().orElseThrow();
  }

  /** The longest timeout: the bound on detecting a silent peer. */
  public long timeout() {
    return lans.stream().mapToLong(Lan::timeoutMillis).max().orElseThrow();
  }
}
