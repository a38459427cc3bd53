package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Optional;
import org.bulwark.rfs.internal.RfssyncPolicy.Mode;
import org.bulwark.rfs.internal.RfssyncPolicy.Role;
import org.junit.Test;

/** {@code safekit rfssync}'s arguments, wire form and applicability (spec C.12), row by row. */
public class RfssyncPolicyTest {
  private static final long NOW = 1_700_000_000_000L;

  private static RfssyncPolicy parsed(String... args) {
    return RfssyncPolicy.parse(List.of(args), NOW).orElseThrow();
  }

  @Test
  public void validArguments() {
    assertEquals(Optional.empty(), RfssyncPolicy.parse(List.of(), NOW));
    assertEquals(RfssyncPolicy.FULL, parsed("full"));
    assertEquals(
        new RfssyncPolicy(Mode.EXTERNAL, Role.PRIM, "bk-1", true, NOW),
        parsed("external", "prim", "bk-1"));
    assertEquals(
        new RfssyncPolicy(Mode.EXTERNAL, Role.SECOND, "bk-1", true, NOW),
        parsed("external", "second", "bk-1"));
    assertEquals(
        new RfssyncPolicy(Mode.EXTERNAL, Role.SECOND, "bk-1", false, NOW),
        parsed("-d", "second", "bk-1"));
    assertEquals(
        new RfssyncPolicy(Mode.EXTERNAL, Role.PRIM, "bk-1", false, NOW),
        parsed("external", "-d", "prim", "bk-1"));
    String longest = "x".repeat(RfssyncPolicy.MAX_UID);
    assertEquals(longest, parsed("external", "prim", longest).uid());
  }

  @Test
  public void wrongArgumentsSayWhatIsWrong() {
    String[][] rows = {
      {"bogus", "unknown policy 'bogus'"},
      {"full extra", "unexpected argument 'extra'"},
      {"external", "missing role"},
      {"external prim", "missing UID"},
      {"external third bk", "unknown role 'third'"},
      {"-d second", "missing UID"},
      {"external prim " + "y".repeat(25), "has 25 characters: 1 to 24 allowed"},
      {"external prim bk more", "unexpected argument 'more'"},
    };
    for (String[] row : rows) {
      try {
        RfssyncPolicy.parse(List.of(row[0].split(" ")), NOW);
        fail("accepted: " + row[0]);
      } catch (IllegalArgumentException e) {
        assertTrue(row[0] + ": " + e.getMessage(), e.getMessage().contains(row[1]));
      }
    }
  }

  @Test
  public void wireFormRoundTrips() {
    RfssyncPolicy p = parsed("external", "second", "a:b");
    assertEquals("external:second:a:b", p.wire());
    RfssyncPolicy back = RfssyncPolicy.fromWire(p.wire()).orElseThrow();
    assertEquals(Role.SECOND, back.role());
    assertEquals("a:b", back.uid());
    assertEquals("", RfssyncPolicy.DEFAULT.wire());
    assertEquals(Optional.empty(), RfssyncPolicy.fromWire(""));
    assertEquals(Optional.empty(), RfssyncPolicy.fromWire("fullsync"));
    try {
      RfssyncPolicy.fromWire("external:second");
      fail("malformed accepted");
    } catch (IllegalArgumentException expected) {
      // refused by the primary as an unknown policy
    }
  }

  @Test
  public void applicability() {
    RfssyncPolicy prim = parsed("external", "prim", "bk-1");
    RfssyncPolicy second = parsed("external", "second", "bk-1");
    assertNull(RfssyncPolicy.refusal(prim, second));
    assertNull(RfssyncPolicy.refusal(parsed("-d", "prim", "bk-1"), second));
    // {primary, secondary, what the refusal names}
    Object[][] rows = {
      {prim, parsed("external", "second", "bk-2"), "uid bk-2 of the secondary does not match uid"},
      {RfssyncPolicy.DEFAULT, second, "the primary has no external synchronization policy"},
      {RfssyncPolicy.FULL, second, "its policy is full"},
      {
        parsed("external", "second", "bk-1"), second, "primary node was prepared as the destination"
      },
      {prim, parsed("external", "prim", "bk-1"), "secondary node was prepared as the source"},
    };
    for (Object[] row : rows) {
      String why = RfssyncPolicy.refusal((RfssyncPolicy) row[0], (RfssyncPolicy) row[1]);
      assertTrue(
          row[0] + " / " + row[1] + ": " + why, why != null && why.contains((String) row[2]));
      assertTrue(why, why.startsWith("External synchronization "));
    }
  }

  @Test
  public void shown() {
    assertEquals(List.of("default"), RfssyncPolicy.DEFAULT.describe(true));
    assertEquals(List.of("full"), RfssyncPolicy.FULL.describe(true));
    assertEquals(List.of("external prim bk-1"), parsed("external", "prim", "bk-1").describe(true));
    assertEquals(
        List.of("external second bk-1 (no change detection between backup and start)"),
        parsed("-d", "second", "bk-1").describe(true));
    assertTrue(parsed("external", "prim", "bk-1").describe(false).get(0).endsWith("applicable"));
  }
}
