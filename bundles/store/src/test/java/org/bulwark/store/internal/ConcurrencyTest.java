package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.CommandLogEntry.Kind;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Many threads share one store: no row is lost, mixed or duplicated. */
public class ConcurrencyTest {

  private static final int THREADS = 8;
  private static final int ROUNDS = 10;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private JournalStore store;
  private ExecutorService pool;

  @Before
  public void open() throws Exception {
    store =
        JournalStore.open(
            TemplateDatabase.copyTo(tmp.getRoot().toPath().resolve("db")),
            new ManualClock(Instant.parse("2026-03-01T10:00:00Z")));
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @After
  public void close() throws Exception {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    store.close();
  }

  @Test
  public void concurrentWritersGetDistinctIdsAndEveryRowIsKept() throws Exception {
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      String module = "m" + t;
      results.add(
          pool.submit(
              () -> {
                List<Long> ids = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                  long id = store.start("safekit", module, "round " + r);
                  store.append(Instant.EPOCH, module, "t", EventLevel.E, "round " + r);
                  store.end(id, r);
                  ids.add(id);
                }
                return ids;
              }));
    }
    Set<Long> ids = new HashSet<>();
    for (Future<List<Long>> f : results) {
      ids.addAll(f.get(30, TimeUnit.SECONDS));
    }
    assertEquals(THREADS * ROUNDS, ids.size());

    List<CommandLogEntry> rows = store.tail(JournalStore.MAX_ROWS_PER_READ);
    assertEquals(2 * THREADS * ROUNDS, rows.size());
    for (int t = 0; t < THREADS; t++) {
      List<EventEntry> log = store.read("m" + t, 0, true, 1000);
      assertEquals(ROUNDS, log.size());
      for (int r = 0; r < ROUNDS; r++) {
        assertEquals("each module's rows keep their order", "round " + r, log.get(r).message());
      }
    }
    Set<Long> started = new HashSet<>();
    for (CommandLogEntry row : rows) {
      if (row.kind() == Kind.START) {
        assertTrue("START once per id", started.add(row.id()));
      } else {
        assertTrue("END after its START", started.contains(row.id()));
      }
    }
  }
}
