package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.CommandLogEntry.Kind;
import org.junit.Test;

/** The commands log of spec G.7. */
public class CommandLogTest extends JournalTest {

  public CommandLogTest() {
    super("2026-03-01T10:00:00.123456Z");
  }

  @Test
  public void startEndAndInfoRowsReadBackAsTheSpecShowsThem() throws Exception {
    long id = store.start("safekit", "mirror", "prim -m mirror -u admin@10.0.0.103");
    clock.advance(Duration.ofMillis(1500));
    store.end(id, 0);
    store.info("cluster", "mirror", "module state change on node n1");

    List<CommandLogEntry> rows = store.tail(10);
    assertEquals(
        List.of(
            new CommandLogEntry(
                t0, "safekit", "mirror", id, Kind.START, "prim -m mirror -u admin@10.0.0.103"),
            new CommandLogEntry(t0.plusMillis(1500), "", "", id, Kind.END, "0"),
            new CommandLogEntry(
                t0.plusMillis(1500),
                "cluster",
                "mirror",
                0,
                Kind.I,
                "module state change on node n1")),
        rows);
  }

  @Test
  public void everyCommandGetsItsOwnIncreasingId() throws Exception {
    long first = store.start("safekit", null, "level");
    long second = store.start("safekit", null, "cmdlog");
    store.end(second, 1);
    store.end(first, 0);
    assertTrue(first > 0);
    assertTrue(second > first);
    List<CommandLogEntry> rows = store.tail(10);
    assertEquals("", rows.get(0).module());
    assertEquals(second, rows.get(2).id());
    assertEquals("1", rows.get(2).text());
    assertEquals(first, rows.get(3).id());
  }

  @Test
  public void pagesGoBackInTimeUntilTheFirstRow() throws Exception {
    for (int i = 0; i < 7; i++) {
      store.info("safekit", "m", "row " + i);
    }
    List<String> seen = new java.util.ArrayList<>();
    CommandLog.Page page = store.page(0, 3);
    List<Integer> sizes = new java.util.ArrayList<>();
    while (true) {
      sizes.add(page.rows().size());
      seen.addAll(0, page.rows().stream().map(CommandLogEntry::text).toList());
      if (page.next() == 0) {
        break;
      }
      page = store.page(page.next(), 3);
    }
    assertEquals(List.of(3, 3, 1), sizes);
    assertEquals(List.of("row 0", "row 1", "row 2", "row 3", "row 4", "row 5", "row 6"), seen);
    // rows written meanwhile do not move a page
    long before = store.page(0, 3).next();
    CommandLog.Page second = store.page(before, 3);
    store.info("safekit", "m", "row 7");
    assertEquals(second, store.page(before, 3));
    assertEquals("row 7", store.page(0, 3).rows().get(2).text());
  }

  @Test
  public void tailReturnsTheNewestRowsOldestFirst() throws Exception {
    for (int i = 0; i < 20; i++) {
      store.info("safekit", "m", "row " + i);
    }
    List<CommandLogEntry> rows = store.tail(3);
    assertEquals(
        List.of("row 17", "row 18", "row 19"), rows.stream().map(CommandLogEntry::text).toList());
    assertEquals(List.of(), store.tail(0));
    assertEquals(List.of(), store.tail(-5));
    assertEquals(20, store.tail(Integer.MAX_VALUE).size());
  }

  @Test
  public void anOverlongCommandLineIsJournaledShortened() throws Exception {
    String line = "x".repeat(20_000);
    long id = store.start("safekit", "mirror", line);
    CommandLogEntry row = store.tail(1).get(0);
    assertEquals(id, row.id());
    assertEquals(8000, row.text().length());
    assertTrue(row.text().endsWith("…"));
  }
}
