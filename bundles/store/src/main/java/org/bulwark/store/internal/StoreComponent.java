package org.bulwark.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.JournalRetention;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the node's journal ({@code SAFEVAR/db}) as the store services. The database is opened
 * and migrated at activation and shut down cleanly at deactivation; every call delegates to {@link
 * JournalStore}.
 */
@Component(
    service = {CommandLog.class, EventLog.class, ResourceHistory.class, JournalRetention.class},
    // Immediate: the database is opened and migrated at boot, so that a refused database (newer
    // schema, in use elsewhere) shows at once in the log rather than at the first command.
    immediate = true)
public final class StoreComponent
    implements CommandLog, EventLog, ResourceHistory, JournalRetention {

  private final JournalStore store;

  @Activate
  public StoreComponent(@Reference(name = "environment") NodeEnvironment environment)
      throws StoreException {
    this.store = JournalStore.open(environment.directories().database(), Clock.systemUTC());
  }

  @Deactivate
  void deactivate() throws StoreException {
    store.close();
  }

  @Override
  public long start(String type, String module, String commandLine) throws StoreException {
    return store.start(type, module, commandLine);
  }

  @Override
  public void end(long id, int exitCode) throws StoreException {
    store.end(id, exitCode);
  }

  @Override
  public void info(String type, String module, String message) throws StoreException {
    store.info(type, module, message);
  }

  @Override
  public List<CommandLogEntry> tail(int limit) throws StoreException {
    return store.tail(limit);
  }

  @Override
  public long append(
      Instant time, String module, String component, EventLevel level, String message)
      throws StoreException {
    return store.append(time, module, component, level, message);
  }

  @Override
  public List<EventEntry> read(String module, long afterSeq, boolean verbose, int limit)
      throws StoreException {
    return store.read(module, afterSeq, verbose, limit);
  }

  @Override
  public List<EventEntry> tail(String module, boolean verbose, int limit) throws StoreException {
    return store.tail(module, verbose, limit);
  }

  @Override
  public void record(ResourceEntry entry) throws StoreException {
    store.record(entry);
  }

  @Override
  public List<ResourceEntry> current(String module) throws StoreException {
    return store.current(module);
  }

  @Override
  public List<ResourceEntry> history(String module, String name, int limit) throws StoreException {
    return store.history(module, name, limit);
  }

  @Override
  public int purgeEventLog(String module, int keepNewest, int maxDeletes) throws StoreException {
    return store.purgeEventLog(module, keepNewest, maxDeletes);
  }

  @Override
  public int purgeCommandLog(int keepNewest, int maxDeletes) throws StoreException {
    return store.purgeCommandLog(keepNewest, maxDeletes);
  }

  @Override
  public int purgeResourceHistory(String module, int keepNewestPerResource, int maxDeletes)
      throws StoreException {
    return store.purgeResourceHistory(module, keepNewestPerResource, maxDeletes);
  }
}
