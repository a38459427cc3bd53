package org.bulwark.store.internal;

import java.time.Instant;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * A test of one journal: before each test, {@link #store} is opened on a copy of the empty template
 * ({@link TemplateDatabase}) in a temporary folder, its time given by {@link #clock} from {@link
 * #t0}; it is closed after the test.
 */
abstract class JournalTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** The journal's time when the test starts. */
  final Instant t0;

  final ManualClock clock;
  JournalStore store;

  JournalTest(String start) {
    this.t0 = Instant.parse(start);
    this.clock = new ManualClock(t0);
  }

  @Before
  public void open() throws Exception {
    store = JournalStore.open(TemplateDatabase.copyTo(tmp.getRoot().toPath().resolve("db")), clock);
  }

  @After
  public void close() throws Exception {
    store.close();
  }
}
