package org.bulwark.api.rfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.Test;

/** The cron schedules of {@code syncat} (spec C.12), row by row. */
public class SyncScheduleTest {

  private static final ZoneId UTC = ZoneOffset.UTC;

  /** expression, after, expected next (UTC). 2026-12-04 is a Friday. */
  private static final String[][] NEXT = {
    {"0 3 * * *", "2026-12-04T02:59:00Z", "2026-12-04T03:00:00Z"},
    {"0 3 * * *", "2026-12-04T03:00:00Z", "2026-12-05T03:00:00Z"},
    {"0 3 * * *", "2026-12-04T03:00:30Z", "2026-12-05T03:00:00Z"},
    {"* * * * *", "2026-12-04T10:15:20Z", "2026-12-04T10:16:00Z"},
    {"*/15 * * * *", "2026-12-04T10:15:00Z", "2026-12-04T10:30:00Z"},
    {"5,35 8-10 * * *", "2026-12-04T10:35:00Z", "2026-12-05T08:05:00Z"},
    {"0 22 * * mon-fri", "2026-12-04T22:00:00Z", "2026-12-07T22:00:00Z"},
    {"0 0 * * 7", "2026-12-04T00:00:00Z", "2026-12-06T00:00:00Z"},
    {"0 0 * * SUN", "2026-12-04T00:00:00Z", "2026-12-06T00:00:00Z"},
    {"30 1 1 jan,jul *", "2026-12-04T00:00:00Z", "2027-01-01T01:30:00Z"},
    {"0 0 29 2 *", "2026-12-04T00:00:00Z", "2028-02-29T00:00:00Z"},
    // both day fields restricted: either matches (the 13th, or any Friday)
    {"0 12 13 * 5", "2026-12-04T12:00:00Z", "2026-12-11T12:00:00Z"},
    {"0 12 13 * 5", "2026-12-11T12:00:00Z", "2026-12-13T12:00:00Z"},
    {"10-20/5 * * * *", "2026-12-04T10:16:00Z", "2026-12-04T10:20:00Z"},
    {"@daily", "2026-12-04T10:00:00Z", "2026-12-05T00:00:00Z"},
    {"@hourly", "2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z"},
  };

  @Test
  public void nextScheduledMinute() {
    for (String[] row : NEXT) {
      SyncSchedule s = SyncSchedule.parse(row[0]);
      assertEquals(
          row[0] + " after " + row[1],
          Instant.parse(row[2]),
          s.next(Instant.parse(row[1]), UTC).orElseThrow());
    }
  }

  @Test
  public void localTimeAcrossDaylightSaving() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    // 2026-03-29 02:30 does not exist in Paris: fires one hour later (03:30 CEST), not skipped
    assertEquals(
        Instant.parse("2026-03-29T01:30:00Z"),
        SyncSchedule.parse("30 2 * * *")
            .next(Instant.parse("2026-03-28T12:00:00Z"), paris)
            .orElseThrow());
    // 03:00 local in winter is 02:00 UTC
    assertEquals(
        Instant.parse("2026-12-05T02:00:00Z"),
        SyncSchedule.parse("0 3 * * *")
            .next(Instant.parse("2026-12-04T12:00:00Z"), paris)
            .orElseThrow());
  }

  /** expression, expected message (the field is named). */
  private static final String[][] ERRORS = {
    {"", "'' is not a cron schedule: expected 5 fields"},
    {"0 3 * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4"},
    {"0 3 * * * *", "found 6"},
    {"60 3 * * *", "field 1 (minute): 60 is out of range 0-59"},
    {"0 24 * * *", "field 2 (hour): 24 is out of range 0-23"},
    {"0 3 0 * *", "field 3 (day of month): 0 is out of range 1-31"},
    {"0 3 * 13 *", "field 4 (month): 13 is out of range 1-12"},
    {"0 3 * foo *", "field 4 (month): 'foo' is not a valid value (a number or jan-dec)"},
    {"0 3 * * 8", "field 5 (day of week): 8 is out of range 0-7"},
    {"0 3 * * fri-mon", "field 5 (day of week): range fri-mon goes backwards"},
    {"*/0 3 * * *", "field 1 (minute): step 0 must be at least 1"},
    {"*/x 3 * * *", "field 1 (minute): 'x' is not a valid step (a number)"},
    {"0 3,,4 * * *", "field 2 (hour): empty item in '3,,4'"},
    {"0 -3 * * *", "field 2 (hour): '-3' is not a valid value (a number)"},
    {"0 0 31 2 *", "never fires"},
    {"@reboot", "the shortcuts are @hourly"},
    {"/SC DAILY /ST 00:01:00", "expected 5 fields"},
  };

  @Test
  public void parseErrorsNameTheField() {
    for (String[] row : ERRORS) {
      try {
        SyncSchedule.parse(row[0]);
        fail("accepted: " + row[0]);
      } catch (IllegalArgumentException e) {
        if (!e.getMessage().contains(row[1])) {
          fail("'" + row[0] + "': got '" + e.getMessage() + "', expected '" + row[1] + "'");
        }
      }
    }
  }
}
