package org.bulwark.api.rfs;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The date of {@code safekit secondforce -d} (spec C.12): {@code YYYY-MM-DD}, {@code "YYYY-MM-DD
 * hh:mm:ss"} or {@code YYYY-MM-DDThh:mm:ss}, each with a trailing {@code Z} for UTC, else in the
 * node's local time.
 */
public final class SyncDate {
  private static final DateTimeFormatter SPACED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private SyncDate() {}

  /**
   * @throws IllegalArgumentException naming the expected forms when {@code text} is none of them
   */
  public static Instant parse(String text, ZoneId local) {
    String t = text == null ? "" : text.trim();
    boolean utc = t.endsWith("Z");
    String body = utc ? t.substring(0, t.length() - 1) : t;
    ZoneId zone = utc ? ZoneOffset.UTC : local;
    try {
      if (body.length() == 10) {
        return LocalDate.parse(body).atStartOfDay(zone).toInstant();
      }
      DateTimeFormatter f = body.indexOf('T') == 10 ? T : SPACED;
      return LocalDateTime.parse(body, f).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a date: use YYYY-MM-DD, \"YYYY-MM-DD hh:mm:ss\" or YYYY-MM-DDThh:mm:ss,"
              + " with Z for UTC");
    }
  }
}
