package org.bulwark.itests;

import java.time.Duration;

/**
 * What one lab cable does to its frames, each way: drops a share of them, duplicates a share of the
 * others (shares in hundredths of a percent, as {@code tc netem}'s {@code loss} and {@code
 * duplicate}), and holds every frame for {@code delay} (so that a round trip across the cable takes
 * twice as long). See {@link LabNetwork#impair}.
 */
record Impairment(int lossPerTenThousand, int duplicatePerTenThousand, Duration delay) {
  static final Impairment NONE = new Impairment(0, 0, Duration.ZERO);

  Impairment {
    if (lossPerTenThousand < 0
        || lossPerTenThousand > 10000
        || duplicatePerTenThousand < 0
        || duplicatePerTenThousand > 10000) {
      throw new IllegalArgumentException(
          "shares are 0..10000: " + lossPerTenThousand + ", " + duplicatePerTenThousand);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
  }

  static Impairment loss(double percent) {
    return NONE.withLoss(percent);
  }

  static Impairment duplicate(double percent) {
    return NONE.withDuplicate(percent);
  }

  static Impairment delay(Duration delay) {
    return NONE.withDelay(delay);
  }

  Impairment withLoss(double percent) {
    return new Impairment(share(percent), duplicatePerTenThousand, delay);
  }

  Impairment withDuplicate(double percent) {
    return new Impairment(lossPerTenThousand, share(percent), delay);
  }

  Impairment withDelay(Duration d) {
    return new Impairment(lossPerTenThousand, duplicatePerTenThousand, d);
  }

  private static int share(double percent) {
    return (int) Math.round(percent * 100);
  }
}
