package org.bulwark.api.rfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.Test;

/** The forms of {@code secondforce -d} (spec C.12), and a clear refusal of anything else. */
public class SyncDateTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  public void everyFormOfTheSpec() {
    assertEquals(Instant.parse("2026-03-01T00:00:00Z"), SyncDate.parse("2026-03-01Z", PARIS));
    assertEquals(Instant.parse("2026-02-28T23:00:00Z"), SyncDate.parse("2026-03-01", PARIS));
    assertEquals(
        Instant.parse("2026-03-01T12:30:05Z"), SyncDate.parse("2026-03-01 12:30:05Z", PARIS));
    assertEquals(
        Instant.parse("2026-03-01T11:30:05Z"), SyncDate.parse("2026-03-01T12:30:05", PARIS));
  }

  @Test
  public void anythingElseIsRefusedWithTheFormsNamed() {
    for (String bad : new String[] {"", "yesterday", "2026-13-01", "2026-03-01 25:00:00", null}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SyncDate.parse(bad, PARIS));
      assertTrue(e.getMessage(), e.getMessage().contains("YYYY-MM-DD"));
    }
  }
}
