package org.bulwark.config.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/** Table tests of the pure helpers: time values (spec B.1), suggestions, addresses (spec A.2). */
public class SmallPartsTest {

  @Test
  public void timeValuesConvertToTheImplicitUnitAndRound() {
    Object[][] table = {
      {"24", "h", Duration.ofHours(24)},
      {"90m", "h", Duration.ofHours(2)},
      {"31m", "h", Duration.ofHours(1)},
      {"0", "s", Duration.ZERO},
      {"0ms", "s", Duration.ZERO},
      {"1500ms", "s", Duration.ofSeconds(2)},
      {"2500ms", "s", Duration.ofSeconds(2)},
      {"700", "ms", Duration.ofMillis(700)},
      {"2s", "ms", Duration.ofMillis(2000)},
      {"1d", "h", Duration.ofHours(24)},
      {"1500us", "ms", Duration.ofMillis(2)},
      {"3m", "m", Duration.ofMinutes(3)},
    };
    for (Object[] row : table) {
      TimeValue.Result result = TimeValue.parse((String) row[0], (String) row[1], "a");
      assertEquals(row[0] + " in " + row[1], row[2], result.duration());
    }
    assertEquals(
        "invalid value '500ms' for the attribute boot_delay (expected time unit: 's')",
        TimeValue.parse("500ms", "s", "boot_delay").error());
    assertEquals(
        "invalid value '1.5s' for the attribute pulse; expected a number with an "
            + "optional unit d, h, m, s, ms or us (implicit unit: 'ms')",
        TimeValue.parse("1.5s", "ms", "pulse").error());
  }

  @Test
  public void suggestionsOnlyForLikelyTypos() {
    List<String> names = List.of("heart", "farm", "vip", "rfs", "user", "errd", "check");
    assertEquals("heart", Suggest.closest("hert", names));
    assertEquals("heart", Suggest.closest("HEART", names));
    assertEquals("rfs", Suggest.closest("rsf", names));
    assertNull(Suggest.closest("database", names));
    assertNull(Suggest.closest("heart", names));
    assertEquals(3, Suggest.distance("kitten", "sitting"));
  }

  @Test
  public void addressesParseWithoutResolving() {
    Object[][] table = {
      {"192.168.1.10", true, null},
      {"[2001:db8::7334]", true, null},
      {"[::1]", true, null},
      {"[::ffff:10.0.0.1]", true, null},
      {"server1.example.com", true, null},
      {"node-2", true, null},
      {"2001:db8::1", true, "IPv6 address '2001:db8::1' must be written in brackets"},
      {"2001:db8::1", false, null},
      {"10.0.0.256", true, "'10.0.0.256' is not a valid IPv4 address"},
      {"1.2.3", true, "'1.2.3' is not a valid IPv4 address"},
      {"[2001:db8:::1]", true, "'[2001:db8:::1]' is not a valid IPv6 address"},
      {"under_score", true, "'under_score' is not a valid IPv4, IPv6 address or DNS name"},
      {"-lead.example", true, "'-lead.example' is not a valid IPv4, IPv6 address or DNS name"},
    };
    for (Object[] row : table) {
      assertEquals(
          String.valueOf(row[0]), row[2], Addresses.check((String) row[0], (Boolean) row[1]));
    }
  }
}
