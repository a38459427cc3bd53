package org.bulwark.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.store.ResourceEntry;

/** SQL of the resource table and its history (spec B.20). */
final class ResourceTables {

  private static final String COLUMNS = "TIME_US, MODULE, NAME, RES_VALUE, SETTER";

  private ResourceTables() {}

  /**
   * Makes {@code entry} the current value and journals it in the history, unless the resource
   * already has that value: then nothing is written (and no disk sync is paid).
   *
   * @return whether anything was written
   */
  static boolean record(Connection c, ResourceEntry entry) throws SQLException {
    ResourceEntry e = clipped(entry);
    Optional<String> current = currentValue(c, e.module(), e.name());
    if (current.isPresent() && current.get().equals(e.value())) {
      return false;
    }
    String write =
        current.isPresent()
            ? "UPDATE RESOURCE_CURRENT SET TIME_US = ?, RES_VALUE = ?, SETTER = ?"
                + " WHERE MODULE = ? AND NAME = ?"
            : "INSERT INTO RESOURCE_CURRENT (TIME_US, RES_VALUE, SETTER, MODULE, NAME)"
                + " VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement s = c.prepareStatement(write)) {
      s.setLong(1, Times.toMicros(e.time()));
      s.setString(2, e.value());
      s.setString(3, e.setter());
      s.setString(4, e.module());
      s.setString(5, e.name());
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO RESOURCE_HISTORY (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
      s.setLong(1, Times.toMicros(e.time()));
      s.setString(2, e.module());
      s.setString(3, e.name());
      s.setString(4, e.value());
      s.setString(5, e.setter());
      s.executeUpdate();
    }
    return true;
  }

  private static ResourceEntry clipped(ResourceEntry e) {
    return new ResourceEntry(
        e.time(),
        Times.clip(e.module(), 128),
        Times.clip(e.name(), 256),
        Times.clip(e.value(), 1024),
        Times.clip(e.setter(), 128));
  }

  private static Optional<String> currentValue(Connection c, String module, String name)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT RES_VALUE FROM RESOURCE_CURRENT WHERE MODULE = ? AND NAME = ?")) {
      s.setString(1, module);
      s.setString(2, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static List<ResourceEntry> current(Connection c, String module, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM RESOURCE_CURRENT WHERE MODULE = ? ORDER BY NAME FETCH FIRST ? ROWS ONLY")) {
      s.setString(1, module);
      s.setInt(2, limit);
      return rows(s);
    }
  }

  static List<ResourceEntry> history(Connection c, String module, String name, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM "
                + Hint.index("RESOURCE_HISTORY", "RESOURCE_HISTORY_DESC")
                + " WHERE MODULE = ? AND NAME = ?"
                + " ORDER BY SEQ DESC FETCH FIRST ? ROWS ONLY")) {
      s.setString(1, module);
      s.setString(2, name);
      s.setInt(3, limit);
      List<ResourceEntry> rows = rows(s);
      Collections.reverse(rows);
      return rows;
    }
  }

  /** Names of the resources of {@code module}, for the per-resource history purge. */
  static List<String> names(Connection c, String module) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT NAME FROM RESOURCE_CURRENT WHERE MODULE = ? ORDER BY NAME")) {
      s.setString(1, module);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  private static List<ResourceEntry> rows(PreparedStatement s) throws SQLException {
    List<ResourceEntry> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new ResourceEntry(
                Times.fromMicros(rs.getLong(1)),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5)));
      }
    }
    return rows;
  }
}
