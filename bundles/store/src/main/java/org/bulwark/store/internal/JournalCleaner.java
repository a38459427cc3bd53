package org.bulwark.store.internal;

import org.bulwark.api.store.StoreException;

/**
 * The cleaning jobs of spec G.6 ({@code safelog_clean} for the node, {@code safelog_clean_AM} for
 * each module) as one pass over the journal: every module's log, the node's own log, the commands
 * log and each resource's history keep their newest rows, up to the limits; older rows go, in
 * bounded batches so that the journal is never held for long and the modules keep logging while it
 * runs. Current resource values are never purged.
 */
final class JournalCleaner {

  /**
   * How many rows each log keeps.
   *
   * @param moduleLogRows rows of each module's log
   * @param nodeLogRows rows of the node's own log (module {@code ""})
   * @param commandLogRows rows of the commands log
   * @param resourceHistoryRows history rows of each resource of each module
   * @param batch rows deleted per transaction
   */
  record Limits(
      int moduleLogRows, int nodeLogRows, int commandLogRows, int resourceHistoryRows, int batch) {
    Limits {
      if (moduleLogRows < 0
          || nodeLogRows < 0
          || commandLogRows < 0
          || resourceHistoryRows < 0
          || batch < 1) {
        throw new IllegalArgumentException(
            String.format(
                "rows kept must be >= 0 (moduleLogRows %d, nodeLogRows %d, commandLogRows %d,"
                    + " resourceHistoryRows %d) and the batch >= 1 (%d)",
                moduleLogRows, nodeLogRows, commandLogRows, resourceHistoryRows, batch));
      }
    }
  }

  /** What one pass deleted. */
  record Pass(long logRows, long commandRows, long resourceRows) {
    long total() {
      return logRows + commandRows + resourceRows;
    }
  }

  private final JournalStore store;

  JournalCleaner(JournalStore store) {
    this.store = store;
  }

  /** One pass; stops early (returning what it did) when {@code stop} says so between batches. */
  Pass clean(Limits limits, java.util.function.BooleanSupplier stop) throws StoreException {
    long log = 0;
    for (String module : store.loggedModules()) {
      int keep = module.isEmpty() ? limits.nodeLogRows() : limits.moduleLogRows();
      log += drain(() -> store.purgeEventLog(module, keep, limits.batch()), stop);
    }
    long commands =
        drain(() -> store.purgeCommandLog(limits.commandLogRows(), limits.batch()), stop);
    long resources = 0;
    for (String module : store.resourceModules()) {
      resources +=
          drain(
              () ->
                  store.purgeResourceHistory(module, limits.resourceHistoryRows(), limits.batch()),
              stop);
    }
    return new Pass(log, commands, resources);
  }

  private interface Batch {
    int run() throws StoreException;
  }

  private static long drain(Batch batch, java.util.function.BooleanSupplier stop)
      throws StoreException {
    long total = 0;
    int deleted;
    do {
      if (stop.getAsBoolean()) {
        break;
      }
      deleted = batch.run();
      total += deleted;
    } while (deleted > 0);
    return total;
  }
}
