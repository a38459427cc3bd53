package org.bulwark.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded purges for the cleaning jobs of spec G.6 ({@code safelog_clean}, {@code
 * safelog_clean_AM}): the oldest rows of one log go first, at most {@code maxDeletes} per call, so
 * that a purge never holds the journal for long.
 */
final class Retention {

  /**
   * The rows of one log.
   *
   * @param table the table, with a SEQ primary key
   * @param condition a condition on its columns, with {@code ?} for each of {@code params}
   * @param ascending the FROM clause that reads the log oldest first (see {@link Hint})
   * @param descending the FROM clause that reads it newest first
   */
  record Scope(
      String table, String condition, List<Object> params, String ascending, String descending) {}

  static Scope eventLog(String module) {
    return new Scope(
        "EVENT_LOG",
        "MODULE = ?",
        List.of(module),
        Hint.index("EVENT_LOG", "EVENT_LOG_ALL"),
        Hint.index("EVENT_LOG", "EVENT_LOG_ALL_DESC"));
  }

  static Scope commandLog() {
    return new Scope(
        "COMMAND_LOG",
        "1 = 1",
        List.of(),
        Hint.constraint("COMMAND_LOG", "COMMAND_LOG_PK"),
        Hint.index("COMMAND_LOG", "COMMAND_LOG_DESC"));
  }

  static Scope resourceHistory(String module, String name) {
    return new Scope(
        "RESOURCE_HISTORY",
        "MODULE = ? AND NAME = ?",
        List.of(module, name),
        Hint.index("RESOURCE_HISTORY", "RESOURCE_HISTORY_ASC"),
        Hint.index("RESOURCE_HISTORY", "RESOURCE_HISTORY_DESC"));
  }

  private Retention() {}

  /**
   * Deletes the oldest rows of {@code scope} beyond its newest {@code keepNewest}, at most {@code
   * maxDeletes} of them; returns how many. The work is bounded by {@code keepNewest + 2 ×
   * maxDeletes} index entries: rows are deleted one by one by primary key, since Derby takes no
   * optimizer hint on a DELETE.
   */
  static int purge(Connection c, Scope scope, int keepNewest, int maxDeletes) throws SQLException {
    if (keepNewest < 0 || maxDeletes < 0) {
      throw new IllegalArgumentException(
          "keepNewest and maxDeletes must be >= 0, got " + keepNewest + " and " + maxDeletes);
    }
    if (maxDeletes == 0) {
      return 0;
    }
    Long newestDoomed = newestDoomed(c, scope, keepNewest);
    if (newestDoomed == null) {
      return 0;
    }
    List<Long> doomed = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT SEQ FROM "
                + scope.ascending()
                + " WHERE "
                + scope.condition()
                + " AND SEQ <= ? ORDER BY SEQ FETCH FIRST ? ROWS ONLY")) {
      int i = bind(s, scope.params());
      s.setLong(i, newestDoomed);
      s.setInt(i + 1, maxDeletes);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          doomed.add(rs.getLong(1));
        }
      }
    }
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM " + scope.table() + " WHERE SEQ = ?")) {
      for (long seq : doomed) {
        delete.setLong(1, seq);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    return doomed.size();
  }

  /** The newest row that must go: the first one past the rows kept, newest first. */
  private static Long newestDoomed(Connection c, Scope scope, int keepNewest) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT SEQ FROM "
                + scope.descending()
                + " WHERE "
                + scope.condition()
                + " ORDER BY SEQ DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")) {
      int i = bind(s, scope.params());
      s.setInt(i, keepNewest);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /**
   * The modules that have rows in {@code table} (the node's own rows under {@code ""}), one index
   * seek each: the work is proportional to the number of modules, not of rows.
   */
  static List<String> modules(Connection c, String table, String index) throws SQLException {
    List<String> modules = new ArrayList<>();
    try (PreparedStatement first =
            c.prepareStatement(
                "SELECT MODULE FROM "
                    + Hint.index(table, index)
                    + " WHERE MODULE >= '' ORDER BY MODULE FETCH FIRST 1 ROWS ONLY");
        PreparedStatement next =
            c.prepareStatement(
                "SELECT MODULE FROM "
                    + Hint.index(table, index)
                    + " WHERE MODULE > ? ORDER BY MODULE FETCH FIRST 1 ROWS ONLY")) {
      String module = single(first);
      while (module != null) {
        modules.add(module);
        next.setString(1, module);
        module = single(next);
      }
    }
    return modules;
  }

  private static String single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Binds {@code params} from index 1; returns the next free index. */
  private static int bind(PreparedStatement s, List<Object> params) throws SQLException {
    int i = 1;
    for (Object p : params) {
      s.setObject(i++, p);
    }
    return i;
  }
}
