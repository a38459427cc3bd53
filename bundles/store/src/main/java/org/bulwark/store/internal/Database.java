package org.bulwark.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.derby.jdbc.EmbeddedDriver;
import org.bulwark.api.store.StoreException;

/**
 * One embedded Derby database and the single connection that serves every caller, one transaction
 * at a time.
 *
 * <p>The driver is instantiated directly rather than looked up through {@code DriverManager}: in
 * OSGi the JDBC service loader does not see across bundle class loaders, while {@code
 * org.apache.derby.jdbc} is exported by the {@code derby} bundle (with derbytools attached as its
 * fragment). Durability is Derby's default: a commit forces the transaction log to disk before it
 * returns ({@code derby.system.durability} must stay unset).
 */
final class Database implements AutoCloseable {

  /** What runs inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final String SHUTDOWN_OK = "08006";
  private static final String ALREADY_BOOTED = "XSDB6";

  private final Path directory;
  private final String url;
  private final Driver driver;

  /** Guards {@link #connection}: callers are many threads, transactions run one at a time. */
  private final Object lock = new Object();

  /** The open connection, null once closed. */
  private Connection connection;

  private Database(Path directory, Driver driver, Connection connection) {
    this.directory = directory;
    this.url = "jdbc:derby:" + directory;
    this.driver = driver;
    this.connection = connection;
  }

  /** Opens, creating it if needed, the database in {@code directory}. */
  static Database open(Path directory) throws StoreException {
    Path dir = directory.toAbsolutePath().normalize();
    prepareDirectory(dir);
    routeDerbyLog(dir.getParent());
    Driver driver = new EmbeddedDriver();
    try {
      Connection c = driver.connect("jdbc:derby:" + dir + ";create=true", new Properties());
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      return new Database(dir, driver, c);
    } catch (SQLException e) {
      if (hasState(e, ALREADY_BOOTED)) {
        throw new StoreException(
            "database "
                + dir
                + " is in use by another process (is another node running with the same"
                + " SAFEVAR?)",
            e);
      }
      throw new StoreException("cannot open database " + dir + ": " + describe(e), e);
    }
  }

  /**
   * Derby creates a database only where nothing exists: an empty directory (made by an installer or
   * by whoever lays out SAFEVAR) is removed, a directory holding something else is refused.
   */
  private static void prepareDirectory(Path dir) throws StoreException {
    try {
      Files.createDirectories(dir.getParent());
      if (Files.isDirectory(dir) && !Files.exists(dir.resolve("service.properties"))) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new StoreException(
                "directory "
                    + dir
                    + " is not a Bulwark journal (no Derby service.properties in it): move it"
                    + " aside, a new journal will be created",
                null);
          }
        }
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new StoreException("cannot prepare the directory of database " + dir + ": " + e, e);
    }
  }

  /**
   * Points Derby's own files (derby.log) into SAFEVAR instead of the working directory. Derby reads
   * these system properties when its engine boots, once per JVM, at the first connection: in Karaf
   * that is this one (seen: {@code SAFEVAR/derby.log}). Values set by the launcher win.
   */
  private static void routeDerbyLog(Path safeVar) {
    setIfAbsent("derby.system.home", safeVar.toString());
    setIfAbsent("derby.stream.error.file", safeVar.resolve("derby.log").toString());
    setIfAbsent("derby.infolog.append", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  Path directory() {
    return directory;
  }

  /**
   * Runs {@code work} in one transaction and commits it before returning, so that a journal write
   * survives a crash of the JVM once this method has returned (spec G.7: no committed row lost).
   *
   * @param what what is being done, for the error message
   */
  <T> T transaction(String what, Work<T> work) throws StoreException {
    synchronized (lock) {
      if (connection == null) {
        throw new StoreException(what + ": the store " + directory + " is closed", null);
      }
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly();
        throw new StoreException(what + " failed in " + directory + ": " + describe(e), e);
      } catch (RuntimeException e) {
        rollbackQuietly();
        throw e;
      }
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // The original failure is the one worth reporting.
    }
  }

  /**
   * Closes the connection and shuts down this database only (not the Derby engine, which other
   * databases of the JVM may use), so that its files are consistent and unlocked.
   */
  @Override
  public void close() throws StoreException {
    synchronized (lock) {
      if (connection == null) {
        return;
      }
      try {
        connection.rollback();
        connection.close();
      } catch (SQLException e) {
        // Shutting down below still releases the database.
      } finally {
        connection = null;
      }
      try {
        driver.connect(url + ";shutdown=true", new Properties());
      } catch (SQLException e) {
        if (!SHUTDOWN_OK.equals(e.getSQLState())) {
          throw new StoreException(
              "cannot shut down database " + directory + ": " + describe(e), e);
        }
      }
    }
  }

  /** Every message of the exception chain, with its SQL state, in one line. */
  static String describe(SQLException e) {
    // Derby chains the same message as next exception and as cause: each is said once.
    Set<String> messages = new LinkedHashSet<>();
    List<String> said = new ArrayList<>();
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = next(t), depth++) {
      if (messages.add(String.valueOf(t.getMessage()))) {
        String state = t instanceof SQLException s ? s.getSQLState() : null;
        said.add(state == null ? t.getMessage() : "[" + state + "] " + t.getMessage());
      }
    }
    return String.join("; ", said);
  }

  private static boolean hasState(SQLException e, String state) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof SQLException s && state.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null) {
      return s.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
