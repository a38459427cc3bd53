package org.bulwark.web.internal.rest;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.junit.Test;

/** The rows before a sequence number, over a log whose numbers the modules share. */
public class LogQueryTest {
  private final List<EventEntry> rows = new ArrayList<>();

  private void row(long seq, String module, EventLevel level) {
    rows.add(
        new EventEntry(seq, Instant.EPOCH.plusSeconds(seq), module, "heart", level, "row " + seq));
  }

  /** The store's reads: forwards only, by module, the main log without I and D. */
  private final EventLog log =
      new EventLog() {
        @Override
        public long append(Instant t, String m, String c, EventLevel l, String message) {
          throw new UnsupportedOperationException();
        }

        @Override
        public List<EventEntry> read(String module, long afterSeq, boolean verbose, int limit) {
          return rows.stream()
              .filter(e -> e.module().equals(module) && e.seq() > afterSeq)
              .filter(e -> verbose || e.level().inMainLog())
              .limit(limit)
              .toList();
        }

        @Override
        public List<EventEntry> tail(String module, boolean verbose, int limit) {
          throw new UnsupportedOperationException();
        }
      };

  private List<Long> before(String verbose, String level, long before, int limit) throws Exception {
    LogQuery q =
        LogQuery.parse(verbose, level, null, null, String.valueOf(before), String.valueOf(limit));
    return q.run(log, "a").entries().stream().map(Views.LogEntry::seq).toList();
  }

  @Test
  public void theNewestRowsBeforeOneAmongOtherModulesRows() throws Exception {
    for (long s = 1; s <= 3000; s++) {
      row(s, s % 7 == 0 ? "a" : "b", s % 14 == 0 ? EventLevel.I : EventLevel.E);
    }
    assertEquals(
        List.of(2436L, 2443L, 2450L, 2457L, 2464L, 2471L, 2478L, 2485L, 2492L, 2499L),
        before("true", null, 2500, 10));
    // the main log skips the I rows (every 14th)
    assertEquals(List.of(2457L, 2471L, 2485L, 2499L), before(null, null, 2500, 4));
    assertEquals(List.of(7L, 14L), before("true", null, 15, 10));
  }

  @Test
  public void aRowFarBackIsFoundAndTheFiltersApply() throws Exception {
    row(5, "a", EventLevel.C);
    row(6, "a", EventLevel.E);
    for (long s = 7; s < 50_000; s++) {
      row(s, "b", EventLevel.E);
    }
    row(50_000, "a", EventLevel.E);
    assertEquals(List.of(5L, 6L), before(null, null, 50_000, 5));
    assertEquals(List.of(5L), before(null, "C", 50_000, 5));
    assertEquals(List.of(), before(null, null, 5, 5));
  }
}
