package org.bulwark.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.CommandLogEntry.Kind;

/**
 * SQL of the commands log (spec G.7): {@code safekit | mirror | 7017 | START | prim -m mirror -u
 * admin@10.0.0.103}, then {@code | | | 7017 | END | 0}; information rows carry id 0.
 */
final class CommandLogTable {

  private CommandLogTable() {}

  static long nextId(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("VALUES NEXT VALUE FOR COMMAND_ID");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void insert(
      Connection c, Instant time, String type, String module, long id, Kind kind, String text)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO COMMAND_LOG (TIME_US, ACTION_TYPE, MODULE, CMD_ID, KIND, TEXT)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setLong(1, Times.toMicros(time));
      s.setString(2, Times.clip(type, 64));
      s.setString(3, Times.clip(module, 128));
      s.setLong(4, id);
      s.setString(5, kind.name());
      s.setString(6, Times.clip(text, 8000));
      s.executeUpdate();
    }
  }

  /** The newest {@code limit} rows before row {@code before} (all when 0 or less), oldest first. */
  static CommandLog.Page page(Connection c, long before, int limit) throws SQLException {
    List<CommandLogEntry> rows = new ArrayList<>();
    long oldest = 0;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT SEQ, TIME_US, ACTION_TYPE, MODULE, CMD_ID, KIND, TEXT FROM "
                + Hint.index("COMMAND_LOG", "COMMAND_LOG_DESC")
                + " WHERE SEQ < ? ORDER BY SEQ DESC FETCH FIRST ? ROWS ONLY")) {
      s.setLong(1, before > 0 ? before : Long.MAX_VALUE);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          oldest = rs.getLong(1);
          rows.add(
              new CommandLogEntry(
                  Times.fromMicros(rs.getLong(2)),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  Kind.valueOf(rs.getString(6)),
                  rs.getString(7)));
        }
      }
    }
    Collections.reverse(rows);
    // a full page may have older rows: its oldest row is where the next page ends
    return new CommandLog.Page(rows, rows.size() == limit && oldest > 1 ? oldest : 0);
  }

  /** The newest {@code limit} rows, oldest first. */
  static List<CommandLogEntry> tail(Connection c, int limit) throws SQLException {
    List<CommandLogEntry> rows = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT TIME_US, ACTION_TYPE, MODULE, CMD_ID, KIND, TEXT FROM "
                + Hint.index("COMMAND_LOG", "COMMAND_LOG_DESC")
                + " ORDER BY SEQ DESC FETCH FIRST ? ROWS ONLY")) {
      s.setInt(1, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new CommandLogEntry(
                  Times.fromMicros(rs.getLong(1)),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  Kind.valueOf(rs.getString(5)),
                  rs.getString(6)));
        }
      }
    }
    Collections.reverse(rows);
    return rows;
  }
}
