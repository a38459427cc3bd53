package org.bulwark.api.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Bounded purges of the journal, for the scheduled cleaning jobs of spec G.6 ({@code safelog_clean}
 * for the node, {@code safelog_clean_AM} for a module). Each call deletes the oldest rows first, at
 * most {@code maxDeletes} of them (and at most an implementation bound, so that a purge never holds
 * the journal for long), and returns how many it deleted: a job calls again while the answer is
 * positive.
 */
@ProviderType
public interface JournalRetention {

  /** Keeps the newest {@code keepNewest} rows of {@code module}'s log (empty: node-wide rows). */
  int purgeEventLog(String module, int keepNewest, int maxDeletes) throws StoreException;

  /** Keeps the newest {@code keepNewest} rows of the commands log. */
  int purgeCommandLog(int keepNewest, int maxDeletes) throws StoreException;

  /**
   * Keeps the newest {@code keepNewestPerResource} history rows of each resource of {@code module};
   * current values are never purged.
   */
  int purgeResourceHistory(String module, int keepNewestPerResource, int maxDeletes)
      throws StoreException;
}
