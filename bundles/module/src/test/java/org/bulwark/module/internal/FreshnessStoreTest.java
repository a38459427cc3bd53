package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.automaton.DataFreshness;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Data freshness across node restarts (spec C.4 case 3, C.5). */
public class FreshnessStoreTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path file() {
    return tmp.getRoot().toPath().resolve("m/freshness.properties");
  }

  @Test
  public void aModuleNeverConfiguredBeforeStartsNeverSynced() {
    assertEquals(DataFreshness.NEVER_SYNCED, new FreshnessStore(file()).load());
  }

  @Test
  public void aCleanStopKeepsTheFreshness() {
    DataFreshness primary = new DataFreshness(true, 4, true, true, 123_456, 3);
    new FreshnessStore(file()).save(primary, false);
    assertEquals(primary, new FreshnessStore(file()).load());
  }

  @Test
  public void aModuleFoundRunningWasNotStoppedCleanlyAndIsNotUpToDate() {
    DataFreshness primary = new DataFreshness(true, 4, true, true, 123_456, 3);
    new FreshnessStore(file()).save(primary, true);
    DataFreshness loaded = new FreshnessStore(file()).load();
    assertFalse(loaded.uptodate());
    assertEquals(4, loaded.generation());
    assertTrue(loaded.wasPrimary());
  }

  @Test
  public void anUnreadableFileMeansNotUpToDate() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "generation=not-a-number\nuptodate=true\n");
    assertEquals(DataFreshness.NEVER_SYNCED, new FreshnessStore(file()).load());
  }

  @Test
  public void onlyAnOldLastSyncDateIsRewritten() throws Exception {
    FreshnessStore store = new FreshnessStore(file());
    store.save(new DataFreshness(true, 1, true, true, 1_000, 3), true);
    long written = Files.getLastModifiedTime(file()).toMillis();
    Files.setLastModifiedTime(
        file(), java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
    store.save(new DataFreshness(true, 1, true, true, 2_000, 3), true);
    assertEquals(written - 60_000, Files.getLastModifiedTime(file()).toMillis());
    store.save(new DataFreshness(true, 1, true, true, 20_000, 3), true);
    assertEquals(20_000, new FreshnessStore(file()).load().lastSyncMillis());
  }
}
