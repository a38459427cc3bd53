package org.bulwark.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.StoreException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The DS face: the journal lives in SAFEVAR/db, opened at activation, shut down at deactivation.
 */
public class StoreComponentTest {

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private NodeEnvironment node(SafeDirectories dirs) {
    return new NodeEnvironment() {
      @Override
      public SafeDirectories directories() {
        return dirs;
      }

      @Override
      public String version() {
        return "test";
      }

      @Override
      public String hostName() {
        return "node1";
      }

      @Override
      public String bindAddress() {
        return "127.0.0.1";
      }
    };
  }

  /** The shipped retention, passes every {@code intervalMinutes}. */
  static StoreComponent.Config retention(long intervalMinutes) {
    return new StoreComponent.Config() {
      @Override
      public Class<? extends java.lang.annotation.Annotation> annotationType() {
        return StoreComponent.Config.class;
      }

      @Override
      public int moduleLogRows() {
        return 200_000;
      }

      @Override
      public int nodeLogRows() {
        return 100_000;
      }

      @Override
      public int commandLogRows() {
        return 100_000;
      }

      @Override
      public int resourceHistoryRows() {
        return 2_000;
      }

      @Override
      public long intervalMinutes() {
        return intervalMinutes;
      }

      @Override
      public long firstPassSeconds() {
        return 300;
      }
    };
  }

  @Test
  public void theJournalIsInSafeVarAndSurvivesDeactivation() throws Exception {
    Path root = tmp.getRoot().toPath();
    SafeDirectories dirs = new SafeDirectories(root.resolve("safe"), root.resolve("safevar"));
    TemplateDatabase.copyTo(dirs.database());

    StoreComponent component = new StoreComponent(node(dirs), retention(60));
    long id = component.start("safekit", "mirror", "start -m mirror -u admin@127.0.0.1");
    component.end(id, 0);
    component.deactivate();

    StoreException closed = assertThrows(StoreException.class, () -> component.tail(10));
    assertTrue(closed.getMessage(), closed.getMessage().endsWith(dirs.database() + " is closed"));
    try (JournalStore reopened = JournalStore.open(dirs.database(), Clock.systemUTC())) {
      List<CommandLogEntry> rows = reopened.tail(10);
      assertEquals(2, rows.size());
      assertEquals("start -m mirror -u admin@127.0.0.1", rows.get(0).text());
    }
  }

  @Test
  public void aDirectoryHoldingSomethingElseIsRefused() throws Exception {
    Path foreign = tmp.newFolder("other", "db").toPath();
    Files.writeString(foreign.resolve("notes.txt"), "not a database");
    StoreException e =
        assertThrows(StoreException.class, () -> JournalStore.open(foreign, Clock.systemUTC()));
    assertEquals(
        "directory "
            + foreign
            + " is not a Bulwark journal (no Derby service.properties in it): move it aside, a new"
            + " journal will be created",
        e.getMessage());
  }
}
