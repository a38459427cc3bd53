package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.store.CommandLogEntry.Kind;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.ResourceEntry;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Bounded work per call: every read visits about as many index rows as it returns, and sorts
 * nothing, however long the log (Derby's runtime statistics of the last statement).
 */
public class QueryPlanTest {

  private static final int ROWS = 400;
  private static final int LIMIT = 5;
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static JournalStore store;

  @BeforeClass
  public static void fill() throws Exception {
    store =
        JournalStore.open(
            TemplateDatabase.copyTo(TMP.getRoot().toPath().resolve("db")), new ManualClock(T0));
    // One transaction, so that filling costs one disk sync.
    store
        .database()
        .transaction(
            "filling",
            c -> {
              for (int i = 0; i < ROWS; i++) {
                EventLevel level = i % 2 == 0 ? EventLevel.I : EventLevel.E;
                EventLogTable.insert(c, T0, "mirror", "heart", level, "row " + i);
                CommandLogTable.insert(c, T0, "safekit", "mirror", i, Kind.I, "row " + i);
                ResourceTables.record(
                    c, new ResourceEntry(T0, "mirror", "heartbeat.0", "v" + i, "heart"));
              }
              try (Statement s = c.createStatement()) {
                s.execute("CALL SYSCS_UTIL.SYSCS_SET_RUNTIMESTATISTICS(1)");
              }
              return null;
            });
  }

  @AfterClass
  public static void close() throws Exception {
    store.close();
  }

  private static String lastPlan() throws Exception {
    return store
        .database()
        .transaction(
            "reading the plan",
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery("VALUES SYSCS_UTIL.SYSCS_GET_RUNTIMESTATISTICS()")) {
                rs.next();
                return rs.getString(1);
              }
            });
  }

  /** Asserts the last read scanned an index, sorted nothing and visited at most {@code max}. */
  private static void assertBounded(int max) throws Exception {
    String plan = lastPlan();
    assertTrue(plan, plan.contains("Index Scan ResultSet"));
    assertFalse(plan, plan.contains("Sort ResultSet"));
    Matcher visited = Pattern.compile("Number of rows visited=(\\d+)").matcher(plan);
    while (visited.find()) {
      assertTrue(plan, Integer.parseInt(visited.group(1)) <= max);
    }
  }

  @Test
  public void commandLogTail() throws Exception {
    assertEquals(LIMIT, store.tail(LIMIT).size());
    assertBounded(LIMIT + 1);
  }

  @Test
  public void eventLogTails() throws Exception {
    assertEquals(LIMIT, store.tail("mirror", true, LIMIT).size());
    assertBounded(LIMIT + 1);
    assertEquals(LIMIT, store.tail("mirror", false, LIMIT).size());
    assertBounded(LIMIT + 1);
  }

  @Test
  public void eventLogReadsFromTheStart() throws Exception {
    assertEquals(LIMIT, store.read("mirror", 0, true, LIMIT).size());
    assertBounded(LIMIT + 1);
    assertEquals(LIMIT, store.read("mirror", 0, false, LIMIT).size());
    assertBounded(LIMIT + 1);
  }

  @Test
  public void resourceHistoryTail() throws Exception {
    assertEquals(LIMIT, store.history("mirror", "heartbeat.0", LIMIT).size());
    assertBounded(LIMIT + 1);
  }

  @Test
  public void theModulesOfTheCleaningJobAreSeeksNotScans() throws Exception {
    assertEquals(java.util.List.of("mirror"), store.loggedModules());
    assertBounded(2);
    assertEquals(java.util.List.of("mirror"), store.resourceModules());
    assertBounded(2);
  }
}
