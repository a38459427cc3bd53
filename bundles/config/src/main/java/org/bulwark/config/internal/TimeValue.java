package org.bulwark.config.internal;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time-valued attributes (spec B.1): a number with an optional unit {@code d h m s ms us}. A value
 * without unit is in the attribute's implicit unit; a value in another unit is converted to the
 * implicit unit and rounded (half to even), and it is an error when that rounds a non-zero value to
 * 0.
 */
public final class TimeValue {

  private static final Pattern SYNTAX = Pattern.compile("([0-9]+)(d|h|m|s|ms|us)?");
  private static final Map<String, Long> MICROS =
      Map.of(
          "us",
          1L,
          "ms",
          1_000L,
          "s",
          1_000_000L,
          "m",
          60_000_000L,
          "h",
          3_600_000_000L,
          "d",
          86_400_000_000L);

  private TimeValue() {}

  /** A parsed value, or the message saying why it is not one. */
  public record Result(Duration duration, String error) {}

  /** Parses {@code value} for attribute {@code attribute} whose implicit unit is {@code unit}. */
  public static Result parse(String value, String unit, String attribute) {
    Matcher matcher = SYNTAX.matcher(value);
    if (!matcher.matches()) {
      return new Result(
          null,
          "invalid value '"
              + value
              + "' for the attribute "
              + attribute
              + "; expected a number with an optional unit d, h, m, s, ms or us (implicit unit: '"
              + unit
              + "')");
    }
    String given = matcher.group(2) == null ? unit : matcher.group(2);
    long implicit = MICROS.get(unit);
    try {
      long number = Long.parseLong(matcher.group(1));
      long micros = Math.multiplyExact(number, MICROS.get(given));
      // Round half to even: the spec's own example rejects 500ms for a value in seconds.
      long quotient = micros / implicit;
      long twice = (micros % implicit) * 2;
      long rounded =
          quotient + (twice > implicit || (twice == implicit && quotient % 2 == 1) ? 1 : 0);
      if (rounded == 0 && number != 0) {
        return new Result(
            null,
            "invalid value '"
                + value
                + "' for the attribute "
                + attribute
                + " (expected time unit: '"
                + unit
                + "')");
      }
      long inImplicit = Math.multiplyExact(rounded, implicit);
      return new Result(Duration.ofNanos(Math.multiplyExact(inImplicit, 1000L)), null);
    } catch (ArithmeticException | NumberFormatException e) {
      return new Result(
          null, "invalid value '" + value + "' for the attribute " + attribute + " (too large)");
    }
  }
}
