package org.bulwark.api.store;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The commands log of spec G.7: every system-modifying command with its origin and result. */
@ProviderType
public interface CommandLog {

  /**
   * Journals the start of a command and returns its id.
   *
   * @param type action type, {@code safekit} for the command line
   * @param module module name, or null
   * @param commandLine the arguments and origin, as {@code prim -m mirror -u admin@10.0.0.103}
   */
  long start(String type, String module, String commandLine) throws StoreException;

  /** Journals the end of command {@code id} with its exit code. */
  void end(long id, int exitCode) throws StoreException;

  /** Journals an information row ({@code I}). */
  void info(String type, String module, String message) throws StoreException;

  /** The newest {@code limit} rows, oldest first. */
  List<CommandLogEntry> tail(int limit) throws StoreException;

  /**
   * A page of the log going back in time: the newest {@code limit} rows older than the row {@code
   * before} (a {@link Page#next()}; 0 or less for the newest rows), oldest first. The default is
   * for logs without row numbers: the newest rows, and no older page.
   */
  default Page page(long before, int limit) throws StoreException {
    return new Page(before > 0 ? List.of() : tail(limit), 0);
  }

  /**
   * A page of the commands log.
   *
   * @param rows the rows, oldest first
   * @param next the {@code before} of the older page, or 0 when there is none
   */
  record Page(List<CommandLogEntry> rows, long next) {
    public Page {
      rows = List.copyOf(rows);
    }
  }
}
