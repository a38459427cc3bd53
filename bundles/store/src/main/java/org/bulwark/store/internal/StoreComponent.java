package org.bulwark.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's journal ({@code SAFEVAR/db}) as the store services. The database is opened
 * and migrated at activation and shut down cleanly at deactivation; every call delegates to {@link
 * JournalStore}.
 */
@Component(
    service = {CommandLog.class, EventLog.class, ResourceHistory.class, JournalRetention.class},
    // Immediate: the database is opened and migrated at boot, so that a refused database (newer
    // schema, in use elsewhere) shows at once in the log rather than at the first command.
    immediate = true,
    configurationPid = StoreComponent.PID)
public final class StoreComponent
    implements CommandLog, EventLog, ResourceHistory, JournalRetention {

  static final String PID = "org.bulwark.store.retention";
  private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

  /**
   * The retention of the journal (spec G.6): how many rows each log keeps, and how often the
   * cleaning pass runs. {@code etc/org.bulwark.store.retention.cfg}; changes apply at once.
   */
  @ObjectClassDefinition(name = "Bulwark journal retention")
  public @interface Config {
    @AttributeDefinition(description = "rows kept in each module's log")
    int moduleLogRows() default 200_000;

    @AttributeDefinition(description = "rows kept in the node's own log")
    int nodeLogRows() default 100_000;

    @AttributeDefinition(description = "rows kept in the commands log")
    int commandLogRows() default 100_000;

    @AttributeDefinition(description = "history rows kept for each resource of each module")
    int resourceHistoryRows() default 2_000;

    @AttributeDefinition(description = "minutes between two cleaning passes (0: never)")
    long intervalMinutes() default 60;

    @AttributeDefinition(description = "seconds after the node starts before the first pass")
    long firstPassSeconds() default 300;
  }

  private final JournalStore store;
  private final JournalCleaner cleaner;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bulwark-journal-cleaner");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closing;
  private ScheduledFuture<?> passes;

  @Activate
  public StoreComponent(@Reference(name = "environment") NodeEnvironment environment, Config config)
      throws StoreException {
    this.store = JournalStore.open(environment.directories().database(), Clock.systemUTC());
    this.cleaner = new JournalCleaner(store);
    schedule(config, config.firstPassSeconds());
  }

  @Modified
  synchronized void modified(Config config) {
    schedule(config, 0);
  }

  /** (Re)schedules the cleaning passes; a limit that makes no sense is logged and nothing runs. */
  private synchronized void schedule(Config config, long firstAfterSeconds) {
    if (passes != null) {
      passes.cancel(false);
      passes = null;
    }
    JournalCleaner.Limits limits;
    try {
      limits =
          new JournalCleaner.Limits(
              config.moduleLogRows(),
              config.nodeLogRows(),
              config.commandLogRows(),
              config.resourceHistoryRows(),
              BATCH);
    } catch (IllegalArgumentException e) {
      LOG.error("{}: journal not cleaned: {}", PID, e.getMessage());
      return;
    }
    if (config.intervalMinutes() <= 0) {
      LOG.info(
          "{}: intervalMinutes is {}: the journal is never cleaned", PID, config.intervalMinutes());
      return;
    }
    passes =
        scheduler.scheduleWithFixedDelay(
            () -> pass(limits),
            Math.max(0, firstAfterSeconds),
            TimeUnit.MINUTES.toSeconds(config.intervalMinutes()),
            TimeUnit.SECONDS);
  }

  /** Rows deleted per transaction of a pass. */
  static final int BATCH = 2_000;

  private void pass(JournalCleaner.Limits limits) {
    try {
      JournalCleaner.Pass pass = cleaner.clean(limits, () -> closing);
      if (pass.total() > 0) {
        LOG.info(
            "Journal cleaned: {} log rows, {} commands log rows, {} resource history rows",
            pass.logRows(),
            pass.commandRows(),
            pass.resourceRows());
      }
    } catch (StoreException | RuntimeException e) {
      LOG.warn("Journal cleaning failed, tried again at the next pass: {}", e.getMessage());
    }
  }

  @Deactivate
  void deactivate() throws StoreException {
    closing = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
  public Page page(long before, int limit) throws StoreException {
    return store.page(before, limit);
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
