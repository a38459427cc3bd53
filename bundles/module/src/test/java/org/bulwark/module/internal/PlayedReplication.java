package org.bulwark.module.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bulwark.api.rfs.ModuleReplication;
import org.bulwark.api.rfs.ReplicationStatus;

/**
 * A module with {@code <rfs>} whose replication does nothing by itself: the test says what it
 * reports through the runtime's {@code replicationEvents()} (a runtime with none has nothing to
 * copy and reports a secondary synchronised at once). It records the policy of each secondary
 * start.
 */
final class PlayedReplication implements ModuleReplication {
  /** The policy of every {@link #startSecondary}, in order. */
  final List<String> secondaryStarts = new CopyOnWriteArrayList<>();

  @Override
  public void startPrimary(boolean fullsync) {}

  @Override
  public void stopPrimary(Duration timeout) {}

  @Override
  public void startSecondary(String policy) {
    secondaryStarts.add(policy);
  }

  @Override
  public void detachSecondary() {}

  @Override
  public void stopSecondary(Duration timeout) {}

  @Override
  public ReplicationStatus status() {
    return ReplicationStatus.NONE;
  }

  @Override
  public void close() {}
}
