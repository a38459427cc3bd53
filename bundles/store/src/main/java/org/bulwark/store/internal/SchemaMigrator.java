package org.bulwark.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.bulwark.api.store.StoreException;

/**
 * Brings a database to the schema version of this code at open time.
 *
 * <p>The SCHEMA_VERSION table holds one row per applied step. Every pending step, and the rows
 * recording them, run in a single transaction: a database is either at its old version or at the
 * new one, never in between. A database written by a newer Bulwark is refused, never downgraded.
 */
final class SchemaMigrator {

  private static final String VERSION_TABLE = "SCHEMA_VERSION";

  private final List<Migration> steps;
  private final Clock clock;

  /**
   * @param steps the steps, versions 1, 2, … in order without gaps
   */
  SchemaMigrator(List<Migration> steps, Clock clock) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).version() != i + 1) {
        throw new IllegalArgumentException(
            "migration steps must be numbered 1.."
                + steps.size()
                + ", step "
                + i
                + " is "
                + steps.get(i).version());
      }
    }
    this.steps = List.copyOf(steps);
    this.clock = clock;
  }

  /** The version this code writes. */
  int latest() {
    return steps.size();
  }

  /** Applies the pending steps; returns the version the database is at afterwards. */
  int migrate(Database db) throws StoreException {
    int found = db.transaction("reading the schema version", SchemaMigrator::currentVersion);
    if (found > latest()) {
      throw new StoreException(
          "database "
              + db.directory()
              + " has schema version "
              + found
              + " but this Bulwark knows versions up to "
              + latest()
              + ": it was written by a newer Bulwark. Run that version, or move "
              + db.directory()
              + " aside to start with an empty journal.",
          null);
    }
    if (found == latest()) {
      return found;
    }
    return db.transaction(
        "migrating the schema from version " + found + " to " + latest(),
        c -> {
          if (found == 0) {
            try (Statement s = c.createStatement()) {
              s.execute(
                  "CREATE TABLE "
                      + VERSION_TABLE
                      + " (VERSION INT NOT NULL PRIMARY KEY, DESCRIPTION VARCHAR(200) NOT NULL,"
                      + " APPLIED_US BIGINT NOT NULL)");
            }
          }
          for (Migration step : steps.subList(found, steps.size())) {
            apply(c, step);
          }
          return latest();
        });
  }

  private void apply(Connection c, Migration step) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : step.statements()) {
        s.execute(sql);
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO " + VERSION_TABLE + " VALUES (?, ?, ?)")) {
      insert.setInt(1, step.version());
      insert.setString(2, step.description());
      insert.setLong(3, Times.toMicros(clock.instant()));
      insert.executeUpdate();
    }
  }

  /** The highest applied version, 0 for a new database. */
  static int currentVersion(Connection c) throws SQLException {
    try (ResultSet tables = c.getMetaData().getTables(null, "APP", VERSION_TABLE, null)) {
      if (!tables.next()) {
        return 0;
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(VERSION) FROM " + VERSION_TABLE)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
