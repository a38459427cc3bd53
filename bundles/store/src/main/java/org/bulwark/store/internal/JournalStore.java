package org.bulwark.store.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.CommandLogEntry.Kind;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.JournalRetention;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.store.StoreException;

/**
 * The node's journal on one Derby database (design: one database per node, in {@code SAFEVAR/db}):
 * commands log (spec G.7), module logs (spec G.6), resources and their history (spec B.20). Usable
 * without OSGi; {@link StoreComponent} publishes it as services.
 *
 * <p>Thread-safe: every call is one transaction on the database's single connection, committed (and
 * so on disk) before the call returns. Reads return at most {@link #MAX_ROWS_PER_READ} rows.
 */
public final class JournalStore
    implements CommandLog, EventLog, ResourceHistory, JournalRetention, AutoCloseable {

  /** The most rows one read returns, whatever the caller asks: bounded work per call. */
  public static final int MAX_ROWS_PER_READ = 10_000;

  /** The most rows one purge deletes, whatever the caller asks. */
  public static final int MAX_DELETES_PER_PURGE = 10_000;

  private final Database db;
  private final Clock clock;

  private JournalStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Opens the journal in {@code directory} (created if missing), migrating its schema to this
   * code's version.
   *
   * @param clock the time of commands-log rows
   * @throws StoreException if the database cannot be opened, is in use by another process, or was
   *     written by a newer version
   */
  public static JournalStore open(Path directory, Clock clock) throws StoreException {
    return open(directory, clock, Migrations.ALL);
  }

  /** Opens with the given schema steps: tests build old databases with a prefix of them. */
  static JournalStore open(Path directory, Clock clock, List<Migration> steps)
      throws StoreException {
    Objects.requireNonNull(clock, "clock");
    Database db = Database.open(directory);
    try {
      new SchemaMigrator(steps, clock).migrate(db);
    } catch (StoreException | RuntimeException e) {
      try {
        db.close();
      } catch (StoreException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new JournalStore(db, clock);
  }

  /** The database directory. */
  public Path directory() {
    return db.directory();
  }

  /** The database, for tests that look at query plans. */
  Database database() {
    return db;
  }

  /** The schema version of the open database. */
  public int schemaVersion() throws StoreException {
    return db.transaction("reading the schema version", SchemaMigrator::currentVersion);
  }

  // --- spec G.7 commands log ---

  @Override
  public long start(String type, String module, String commandLine) throws StoreException {
    Instant now = clock.instant();
    return db.transaction(
        "journaling START " + commandLine,
        c -> {
          long id = CommandLogTable.nextId(c);
          CommandLogTable.insert(c, now, type, module, id, Kind.START, commandLine);
          return id;
        });
  }

  @Override
  public void end(long id, int exitCode) throws StoreException {
    Instant now = clock.instant();
    // As in spec G.7, an END row names only the command id and its exit code.
    db.transaction(
        "journaling END of command " + id,
        c -> {
          CommandLogTable.insert(c, now, "", "", id, Kind.END, Integer.toString(exitCode));
          return null;
        });
  }

  @Override
  public void info(String type, String module, String message) throws StoreException {
    Instant now = clock.instant();
    db.transaction(
        "journaling I " + message,
        c -> {
          CommandLogTable.insert(c, now, type, module, 0, Kind.I, message);
          return null;
        });
  }

  @Override
  public List<CommandLogEntry> tail(int limit) throws StoreException {
    int bounded = Times.boundLimit(limit);
    if (bounded == 0) {
      return List.of();
    }
    return db.transaction("reading the commands log", c -> CommandLogTable.tail(c, bounded));
  }

  @Override
  public Page page(long before, int limit) throws StoreException {
    int bounded = Times.boundLimit(limit);
    if (bounded == 0) {
      return new Page(List.of(), 0);
    }
    return db.transaction(
        "reading the commands log", c -> CommandLogTable.page(c, before, bounded));
  }

  // --- spec G.6 module logs ---

  @Override
  public long append(
      Instant time, String module, String component, EventLevel level, String message)
      throws StoreException {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(level, "level");
    return db.transaction(
        "appending to the log of module '" + module + "'",
        c -> EventLogTable.insert(c, time, nonNull(module), component, level, message));
  }

  @Override
  public List<EventEntry> read(String module, long afterSeq, boolean verbose, int limit)
      throws StoreException {
    int bounded = Times.boundLimit(limit);
    if (bounded == 0) {
      return List.of();
    }
    return db.transaction(
        "reading the log of module '" + module + "'",
        c -> EventLogTable.read(c, nonNull(module), afterSeq, verbose, bounded));
  }

  @Override
  public List<EventEntry> tail(String module, boolean verbose, int limit) throws StoreException {
    int bounded = Times.boundLimit(limit);
    if (bounded == 0) {
      return List.of();
    }
    return db.transaction(
        "reading the log of module '" + module + "'",
        c -> EventLogTable.tail(c, nonNull(module), verbose, bounded));
  }

  // --- spec B.20 resources ---

  @Override
  public void record(ResourceEntry entry) throws StoreException {
    Objects.requireNonNull(entry, "entry");
    db.transaction(
        "recording resource " + entry.name() + " of module '" + entry.module() + "'",
        c -> ResourceTables.record(c, entry));
  }

  @Override
  public List<ResourceEntry> current(String module) throws StoreException {
    return db.transaction(
        "reading the resources of module '" + module + "'",
        c -> ResourceTables.current(c, nonNull(module), MAX_ROWS_PER_READ));
  }

  @Override
  public List<ResourceEntry> history(String module, String name, int limit) throws StoreException {
    int bounded = Times.boundLimit(limit);
    if (bounded == 0) {
      return List.of();
    }
    return db.transaction(
        "reading the history of resource " + name + " of module '" + module + "'",
        c -> ResourceTables.history(c, nonNull(module), nonNull(name), bounded));
  }

  // --- spec G.6 cleaning jobs ---

  @Override
  public int purgeEventLog(String module, int keepNewest, int maxDeletes) throws StoreException {
    requireNonNegative(keepNewest, maxDeletes);
    return db.transaction(
        "purging the log of module '" + module + "'",
        c ->
            Retention.purge(c, Retention.eventLog(nonNull(module)), keepNewest, bound(maxDeletes)));
  }

  @Override
  public int purgeCommandLog(int keepNewest, int maxDeletes) throws StoreException {
    requireNonNegative(keepNewest, maxDeletes);
    return db.transaction(
        "purging the commands log",
        c -> Retention.purge(c, Retention.commandLog(), keepNewest, bound(maxDeletes)));
  }

  @Override
  public int purgeResourceHistory(String module, int keepNewestPerResource, int maxDeletes)
      throws StoreException {
    requireNonNegative(keepNewestPerResource, maxDeletes);
    return db.transaction(
        "purging the resource history of module '" + module + "'",
        c -> {
          int max = bound(maxDeletes);
          int deleted = 0;
          for (String name : ResourceTables.names(c, nonNull(module))) {
            if (deleted >= max) {
              break;
            }
            deleted +=
                Retention.purge(
                    c,
                    Retention.resourceHistory(nonNull(module), name),
                    keepNewestPerResource,
                    max - deleted);
          }
          return deleted;
        });
  }

  /** The modules with rows in the log ({@code ""}: the node's own), for the cleaning job. */
  List<String> loggedModules() throws StoreException {
    return db.transaction(
        "listing the modules of the log", c -> Retention.modules(c, "EVENT_LOG", "EVENT_LOG_ALL"));
  }

  /** The modules with a resource history, for the cleaning job. */
  List<String> resourceModules() throws StoreException {
    return db.transaction(
        "listing the modules of the resource history",
        c -> Retention.modules(c, "RESOURCE_HISTORY", "RESOURCE_HISTORY_ASC"));
  }

  /** Commits nothing more and shuts the database down cleanly. */
  @Override
  public void close() throws StoreException {
    db.close();
  }

  private static void requireNonNegative(int keep, int maxDeletes) {
    if (keep < 0 || maxDeletes < 0) {
      throw new IllegalArgumentException(
          "rows to keep and to delete must be >= 0, got " + keep + " and " + maxDeletes);
    }
  }

  private static int bound(int maxDeletes) {
    return Math.min(maxDeletes, MAX_DELETES_PER_PURGE);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
