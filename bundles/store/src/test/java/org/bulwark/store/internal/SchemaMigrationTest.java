package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.StoreException;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Versioned schema steps applied at open time. */
public class SchemaMigrationTest {

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private Path dir;

  @Before
  public void setUp() {
    dir = tmp.getRoot().toPath().resolve("var").resolve("db");
  }

  @Test
  public void aNewDatabaseIsCreatedAtTheLatestVersionAndDerbyLogStaysOutOfTheWorkingDirectory()
      throws Exception {
    // An empty directory, as an installer laying out SAFEVAR may leave, is taken.
    Files.createDirectories(dir);
    try (JournalStore store = JournalStore.open(dir, clock)) {
      assertEquals(Migrations.ALL.size(), store.schemaVersion());
      assertTrue(Files.isDirectory(dir));
    }
    // Derby writes derby.log where derby.system.home / derby.stream.error.file point; this JVM
    // may have booted Derby for an earlier test, so only the working directory is checked.
    assertTrue("derby.log in " + Path.of("").toAbsolutePath(), !Files.exists(Path.of("derby.log")));
  }

  @Test
  public void anOldDatabaseIsMigratedAndKeepsItsRows() throws Exception {
    long seq;
    try (JournalStore v1 = JournalStore.open(dir, clock, Migrations.ALL.subList(0, 1))) {
      assertEquals(1, v1.schemaVersion());
      seq = v1.append(clock.instant(), "mirror", "heart", EventLevel.E, "written by version 1");
      v1.start("safekit", "mirror", "start -m mirror");
    }
    try (JournalStore latest = JournalStore.open(dir, clock)) {
      assertEquals(Migrations.ALL.size(), latest.schemaVersion());
      // The tails read through the indexes of version 2 (see Hint): they exist now.
      assertEquals(
          List.of(
              new EventEntry(
                  seq, clock.instant(), "mirror", "heart", EventLevel.E, "written by version 1")),
          latest.tail("mirror", false, 10));
      long id = latest.start("safekit", "mirror", "stop -m mirror");
      assertEquals(2, latest.tail(10).size());
      assertTrue(id > latest.tail(10).get(0).id());
    }
  }

  @Test
  public void aDatabaseFromANewerBulwarkIsRefusedWithAClearMessage() throws Exception {
    List<Migration> future = new ArrayList<>(Migrations.ALL);
    future.add(
        new Migration(
            future.size() + 1, "from the future", List.of("CREATE TABLE FUTURE (X INT)")));
    JournalStore.open(TemplateDatabase.copyTo(dir), clock, future).close();

    StoreException e = assertThrows(StoreException.class, () -> JournalStore.open(dir, clock));
    assertEquals(
        "database "
            + dir.toAbsolutePath()
            + " has schema version "
            + future.size()
            + " but this Bulwark knows versions up to "
            + Migrations.ALL.size()
            + ": it was written by a newer Bulwark. Run that version, or move "
            + dir.toAbsolutePath()
            + " aside to start with an empty journal.",
        e.getMessage());
    // The refusal closed the database: the newer code can still open it.
    JournalStore.open(dir, clock, future).close();
  }

  @Test
  public void aFailingStepLeavesTheDatabaseAtItsOldVersion() throws Exception {
    TemplateDatabase.copyTo(dir);
    int latest = Migrations.ALL.size();
    List<Migration> broken = new ArrayList<>(Migrations.ALL);
    broken.add(
        new Migration(
            broken.size() + 1,
            "broken",
            List.of("CREATE TABLE HALF (X INT)", "CREATE TABLE NOT VALID SQL")));

    StoreException e =
        assertThrows(StoreException.class, () -> JournalStore.open(dir, clock, broken));
    assertTrue(
        e.getMessage(),
        e.getMessage()
            .startsWith("migrating the schema from version " + latest + " to " + (latest + 1)));

    try (JournalStore store = JournalStore.open(dir, clock)) {
      assertEquals(latest, store.schemaVersion());
    }
    // Nothing of the failed run remains: a correct step of the same version applies cleanly.
    List<Migration> fixed = new ArrayList<>(Migrations.ALL);
    fixed.add(new Migration(latest + 1, "fixed", List.of("CREATE TABLE HALF (X INT)")));
    try (JournalStore store = JournalStore.open(dir, clock, fixed)) {
      assertEquals(latest + 1, store.schemaVersion());
    }
  }

  @Test
  public void stepsMustBeNumberedWithoutGaps() {
    List<Migration> gap = List.of(Migrations.ALL.get(0), new Migration(3, "gap", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new SchemaMigrator(gap, clock));
  }
}
