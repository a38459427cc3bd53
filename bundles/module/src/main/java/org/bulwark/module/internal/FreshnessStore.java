package org.bulwark.module.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.bulwark.api.io.DurableFiles;
import org.bulwark.automaton.DataFreshness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data freshness of a mirror module (spec C.4–C.6), kept in {@code
 * SAFEUSERVAR/freshness.properties} across node restarts: written durably ({@link DurableFiles})
 * whenever it changes, with whether the module was running. A module found running at load was not
 * stopped cleanly — a crash, a {@code kill -9} — so it cannot know whether it is up to date ({@link
 * DataFreshness#afterCrash()}, spec C.4 case 3, C.5).
 */
final class FreshnessStore {
  private static final Logger LOG = LoggerFactory.getLogger(FreshnessStore.class);

  /** The last-sync date alone is rewritten at most this often. */
  static final long LAST_SYNC_PERIOD_MILLIS = 10_000;

  private final Path file;
  private DataFreshness saved;
  private boolean savedRunning;

  FreshnessStore(Path file) {
    this.file = file;
  }

  /** What the module starts from: never synced, as saved, or after a crash. */
  DataFreshness load() {
    if (!Files.isRegularFile(file)) {
      return DataFreshness.NEVER_SYNCED;
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
      DataFreshness data =
          new DataFreshness(
              Boolean.parseBoolean(p.getProperty("uptodate")),
              Long.parseLong(p.getProperty("generation", "0")),
              Boolean.parseBoolean(p.getProperty("wasPrimary")),
              Boolean.parseBoolean(p.getProperty("consistent", "true")),
              Long.parseLong(p.getProperty("lastSync", "0")),
              Long.parseLong(p.getProperty("tenure", "0")));
      saved = data;
      savedRunning = Boolean.parseBoolean(p.getProperty("running"));
      return savedRunning ? data.afterCrash() : data;
    } catch (IOException | RuntimeException e) {
      // unreadable: the safe side is "not up to date", the peer decides (spec C.5)
      LOG.warn("{} unreadable ({}): data considered not up to date", file, e.toString());
      return DataFreshness.NEVER_SYNCED;
    }
  }

  /** Saves when something other than a recent last-sync date changed. */
  void save(DataFreshness data, boolean running) {
    if (saved != null
        && running == savedRunning
        && data.uptodate() == saved.uptodate()
        && data.generation() == saved.generation()
        && data.wasPrimary() == saved.wasPrimary()
        && data.consistent() == saved.consistent()
        && data.tenure() == saved.tenure()
        && data.lastSyncMillis() - saved.lastSyncMillis() < LAST_SYNC_PERIOD_MILLIS) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("uptodate", Boolean.toString(data.uptodate()));
    p.setProperty("generation", Long.toString(data.generation()));
    p.setProperty("wasPrimary", Boolean.toString(data.wasPrimary()));
    p.setProperty("consistent", Boolean.toString(data.consistent()));
    p.setProperty("lastSync", Long.toString(data.lastSyncMillis()));
    p.setProperty("tenure", Long.toString(data.tenure()));
    p.setProperty("running", Boolean.toString(running));
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      p.store(bytes, "data freshness of the mirror module (spec C.4)");
      DurableFiles.write(file, bytes.toByteArray());
      saved = data;
      savedRunning = running;
    } catch (IOException e) {
      LOG.error("Cannot save the data freshness to {}", file, e);
    }
  }
}
