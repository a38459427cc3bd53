package org.bulwark.store.internal;

import java.time.Instant;

/** Conversions between instants and the journal's columns. */
final class Times {

  private Times() {}

  /**
   * Microseconds since the epoch: the precision of a log row (spec G.6 {@code hh:mm:ss.ffffff}).
   */
  static long toMicros(Instant time) {
    return Math.addExact(
        Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
  }

  static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /**
   * {@code text} cut to the column's width, so that a long script output line is journaled
   * shortened rather than refused.
   */
  static String clip(String text, int width) {
    if (text == null) {
      return "";
    }
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }

  /** A caller's limit bounded to what one call may read. */
  static int boundLimit(int limit) {
    return Math.max(0, Math.min(limit, JournalStore.MAX_ROWS_PER_READ));
  }
}
