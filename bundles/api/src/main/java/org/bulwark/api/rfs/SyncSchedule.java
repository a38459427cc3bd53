package org.bulwark.api.rfs;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The schedule of {@code <rfs syncat="…">} (spec B.7, C.12): a Linux cron expression of five fields
 * — minute (0-59), hour (0-23), day of month (1-31), month (1-12 or jan-dec), day of week (0-7, 0
 * and 7 are Sunday, or sun-sat) — each {@code *}, a value, a range {@code a-b}, a step {@code
 * *}{@code /n} or {@code a-b/n}, or a comma list of those; or one of {@code @hourly}, {@code
 * @daily} ({@code @midnight}), {@code @weekly}, {@code @monthly}, {@code @yearly} ({@code
 * @annually}). As in cron, when both day fields are restricted a day matches if either does.
 *
 * <p>SafeKit writes the expression into the safekit user's crontab; here it is evaluated in the
 * node's local time by the module itself. Immutable; {@link #next} is a pure function of its
 * arguments.
 */
public final class SyncSchedule {

  private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
  private static final int[] MIN = {0, 0, 1, 1, 0};
  private static final int[] MAX = {59, 23, 31, 12, 7};
  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  /** Searching further than this finds nothing new: 8 years hold every weekday of a Feb 29. */
  private static final long HORIZON_DAYS = 8 * 366;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean anyDay;
  private final boolean anyWeekday;

  private SyncSchedule(String text, BitSet[] f, boolean anyDay, boolean anyWeekday) {
    this.text = text;
    this.minutes = f[0];
    this.hours = f[1];
    this.days = f[2];
    this.months = f[3];
    this.weekdays = f[4];
    this.anyDay = anyDay;
    this.anyWeekday = anyWeekday;
  }

  /**
   * Parses a cron expression.
   *
   * @throws IllegalArgumentException with a message naming the field and the value at fault, e.g.
   *     {@code field 2 (hour): 24 is out of range 0-23}, or saying that the schedule never fires
   */
  public static SyncSchedule parse(String expression) {
    String t = expression == null ? "" : expression.trim();
    String expanded = macro(t);
    String[] parts = expanded.isEmpty() ? new String[0] : expanded.split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "'"
              + t
              + "' is not a cron schedule: expected 5 fields (minute hour day-of-month month"
              + " day-of-week), found "
              + parts.length);
    }
    BitSet[] f = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      f[i] = field(i, parts[i]);
    }
    if (f[4].get(7)) {
      f[4].set(0); // 7 is Sunday too
      f[4].clear(7);
    }
    SyncSchedule s = new SyncSchedule(t, f, parts[2].startsWith("*"), parts[4].startsWith("*"));
    if (s.next(Instant.EPOCH, java.time.ZoneOffset.UTC).isEmpty()) {
      throw new IllegalArgumentException(
          "'" + t + "' never fires: no month has such a day of month");
    }
    return s;
  }

  private static String macro(String t) {
    if (!t.startsWith("@")) {
      return t;
    }
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "@hourly" -> "0 * * * *";
      case "@daily", "@midnight" -> "0 0 * * *";
      case "@weekly" -> "0 0 * * 0";
      case "@monthly" -> "0 0 1 * *";
      case "@yearly", "@annually" -> "0 0 1 1 *";
      default ->
          throw new IllegalArgumentException(
              "'"
                  + t
                  + "' is not a cron schedule: the shortcuts are @hourly, @daily, @midnight,"
                  + " @weekly, @monthly, @yearly and @annually");
    };
  }

  private static BitSet field(int i, String value) {
    BitSet set = new BitSet(MAX[i] + 1);
    for (String item : value.split(",", -1)) {
      if (item.isEmpty()) {
        throw error(i, "empty item in '" + value + "'");
      }
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(i, item.substring(slash + 1), "step");
        if (step < 1) {
          throw error(i, "step " + item.substring(slash + 1) + " must be at least 1");
        }
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = MIN[i];
        hi = MAX[i];
      } else {
        int dash = range.indexOf('-', 1);
        lo = value(i, dash < 0 ? range : range.substring(0, dash));
        hi = dash < 0 ? (slash >= 0 ? MAX[i] : lo) : value(i, range.substring(dash + 1));
        if (lo > hi) {
          throw error(i, "range " + range + " goes backwards");
        }
      }
      for (int v = lo; v <= hi; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int value(int i, String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    String[] names = i == 3 ? MONTHS : i == 4 ? DAYS : null;
    if (names != null) {
      for (int k = 0; k < names.length; k++) {
        if (names[k].equals(lower)) {
          return i == 3 ? k + 1 : k;
        }
      }
    }
    int v = number(i, s, "value");
    if (v < MIN[i] || v > MAX[i]) {
      throw error(i, s + " is out of range " + MIN[i] + "-" + MAX[i]);
    }
    return v;
  }

  private static int number(int i, String s, String what) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 4) {
      String hint = " (a number)";
      if (what.equals("value") && i >= 3) {
        hint = i == 3 ? " (a number or jan-dec)" : " (a number or sun-sat)";
      }
      throw error(i, "'" + s + "' is not a valid " + what + hint);
    }
    return Integer.parseInt(s);
  }

  private static IllegalArgumentException error(int i, String message) {
    return new IllegalArgumentException("field " + (i + 1) + " (" + FIELDS[i] + "): " + message);
  }

  /**
   * The first scheduled minute strictly after {@code after}, in {@code zone}'s local time; empty if
   * the schedule never fires. A local time skipped by a daylight-saving change fires shifted by the
   * length of the gap (02:30 becomes 03:30), one that occurs twice fires once.
   */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    LocalDateTime t =
        LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime end = t.plusDays(HORIZON_DAYS);
    while (t.isBefore(end)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
      } else if (!dayMatches(t)) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        Instant at = t.atZone(zone).toInstant();
        if (at.isAfter(after)) {
          return Optional.of(at);
        }
        t = t.plusMinutes(1);
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = days.get(t.getDayOfMonth());
    DayOfWeek d = t.getDayOfWeek();
    boolean dow = weekdays.get(d.getValue() % 7);
    if (anyDay || anyWeekday) {
      return dom && dow;
    }
    return dom || dow; // cron: both restricted, either matches
  }

  /** The expression as written. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyncSchedule s && s.text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }
}
