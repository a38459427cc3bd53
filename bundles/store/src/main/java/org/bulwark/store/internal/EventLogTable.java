package org.bulwark.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;

/**
 * SQL of the module logs (spec G.6): {@code | time | component | level | message}, per module, with
 * the main log (U, E, C, S, W) a filtered view of the verbose one.
 */
final class EventLogTable {

  private static final String COLUMNS = "SEQ, TIME_US, MODULE, COMPONENT, LEVEL_CODE, MESSAGE";

  private EventLogTable() {}

  static long insert(
      Connection c, Instant time, String module, String component, EventLevel level, String message)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO EVENT_LOG (TIME_US, MODULE, COMPONENT, LEVEL_CODE, MAIN, MESSAGE)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      s.setLong(1, Times.toMicros(time));
      s.setString(2, Times.clip(module, 128));
      s.setString(3, Times.clip(component, 128));
      s.setString(4, level.name());
      s.setShort(5, (short) (level.inMainLog() ? 1 : 0));
      s.setString(6, Times.clip(message, 8000));
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  static List<EventEntry> read(
      Connection c, String module, long afterSeq, boolean verbose, int limit) throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM "
            + Hint.index("EVENT_LOG", verbose ? "EVENT_LOG_ALL" : "EVENT_LOG_MAIN")
            + " WHERE MODULE = ?"
            + (verbose ? "" : " AND MAIN = 1")
            + " AND SEQ > ? ORDER BY SEQ FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, module);
      s.setLong(2, afterSeq);
      s.setInt(3, limit);
      return rows(s);
    }
  }

  static List<EventEntry> tail(Connection c, String module, boolean verbose, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM "
            + Hint.index("EVENT_LOG", verbose ? "EVENT_LOG_ALL_DESC" : "EVENT_LOG_MAIN_DESC")
            + " WHERE MODULE = ?"
            + (verbose ? "" : " AND MAIN = 1")
            + " ORDER BY SEQ DESC FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, module);
      s.setInt(2, limit);
      List<EventEntry> rows = rows(s);
      Collections.reverse(rows);
      return rows;
    }
  }

  private static List<EventEntry> rows(PreparedStatement s) throws SQLException {
    List<EventEntry> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new EventEntry(
                rs.getLong(1),
                Times.fromMicros(rs.getLong(2)),
                rs.getString(3),
                rs.getString(4),
                EventLevel.valueOf(rs.getString(5)),
                rs.getString(6)));
      }
    }
    return rows;
  }
}
