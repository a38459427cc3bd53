package org.bulwark.api.store;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Module logs and the node's event log (spec G.6). */
@ProviderType
public interface EventLog {

  /** Appends one row and returns its sequence number. */
  long append(Instant time, String module, String component, EventLevel level, String message)
      throws StoreException;

  /**
   * Rows of {@code module} (empty string: node-wide rows) after sequence {@code afterSeq}, oldest
   * first, at most {@code limit}; {@code verbose} false keeps the main-log levels only.
   */
  List<EventEntry> read(String module, long afterSeq, boolean verbose, int limit)
      throws StoreException;

  /** The newest {@code limit} rows of {@code module}, oldest first. */
  List<EventEntry> tail(String module, boolean verbose, int limit) throws StoreException;
}
