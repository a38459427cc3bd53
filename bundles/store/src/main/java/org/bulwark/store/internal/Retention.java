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

  private Retention() {}

  /**
   * Deletes the oldest rows of {@code table} matching {@code scope} beyond the newest {@code
   * keepNewest}, at most {@code maxDeletes} of them.
   *
   * @param scope a condition on the table's columns, with {@code ?} for each of {@code params}
   */
  static int purge(
      Connection c, String table, String scope, List<Object> params, int keepNewest, int maxDeletes)
      throws SQLException {
    if (keepNewest < 0 || maxDeletes < 0) {
      throw new IllegalArgumentException(
          "keepNewest and maxDeletes must be >= 0, got " + keepNewest + " and " + maxDeletes);
    }
    if (maxDeletes == 0) {
      return 0;
    }
    // The newest row that must go: the first one past the rows kept, newest first.
    Long newestDoomed =
        seq(
            c,
            "SELECT SEQ FROM "
                + table
                + " WHERE "
                + scope
                + " ORDER BY SEQ DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
            params,
            keepNewest);
    if (newestDoomed == null) {
      return 0;
    }
    List<Object> below = new ArrayList<>(params);
    below.add(newestDoomed);
    // The oldest maxDeletes rows at or below it bound the work of this call.
    Long bound =
        seq(
            c,
            "SELECT SEQ FROM "
                + table
                + " WHERE "
                + scope
                + " AND SEQ <= ? ORDER BY SEQ OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
            below,
            maxDeletes - 1);
    long upTo = bound == null ? newestDoomed : bound;
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM " + table + " WHERE " + scope + " AND SEQ <= ?")) {
      int i = bind(s, params);
      s.setLong(i, upTo);
      return s.executeUpdate();
    }
  }

  private static Long seq(Connection c, String sql, List<Object> params, int offset)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = bind(s, params);
      s.setInt(i, offset);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
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
