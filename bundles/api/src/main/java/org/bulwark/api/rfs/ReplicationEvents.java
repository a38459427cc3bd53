package org.bulwark.api.rfs;

import java.util.concurrent.CompletableFuture;
import org.bulwark.api.store.EventLevel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the replication of a module reports to its runtime. Calls come from replication threads: an
 * implementation only hands them over (to the module's event loop).
 */
@ConsumerType
public interface ReplicationEvents {

  /** A line for the module log, with the spec's wording (spec C.4, G.6). */
  void log(EventLevel level, String component, String message);

  /** A resource of the catalogue ({@code rfs.*}, spec B.20) changed. */
  void resource(String name, String value);

  /**
   * A measurement resource has a new value: the bandwidths ({@code rfs.rep_bandwidth}, {@code
   * rfs.netout_bandwidth}, {@code rfs.netin_bandwidth}: spec B.20), every few seconds while traffic
   * flows, or a count ({@code rfs.refused}, whose events are logged on their own): its current
   * value only, neither a line in the module log nor the resource's history (as {@code safekit set
   * -n}).
   */
  default void measured(String name, String value) {
    resource(name, value);
  }

  /**
   * A progress resource has a new value ({@code rfs.rei_left}, several times a minute during a
   * reintegration): kept in the resource's history, where the console draws the progress from,
   * without a line in the module log (the reintegration logs its own start and end).
   */
  default void progress(String name, String value) {
    resource(name, value);
  }

  /**
   * Secondary: the reintegration ended; when {@code ok}, this node holds every byte the primary
   * acknowledged and follows its writes from now on (SECOND Ready, spec C.4).
   */
  void reintegrationEnded(boolean ok, String detail);

  /**
   * Secondary: the replication stream from the primary is lost. This node still holds every write
   * the primary acknowledged, and no longer follows (spec C.5, C.7).
   */
  void replicationLost(String reason);

  /** Secondary: a reintegration starts changing this node's copy (spec C.4, C.11). */
  void reintegrationStarted();

  /**
   * Primary: the secondary is no longer fed — its session ended (replication link, its disk, its
   * stop, a timeout, or replication failed here): writes go on locally and are tracked for the next
   * reintegration, and a PRIM goes ALONE (spec C.7, UG §13.7.3). Not {@code rfs.degraded}, which
   * replication sets itself only when it failed irrecoverably on this primary. The future completes
   * once the module has announced it to its peer (a new data generation in its heartbeats); until
   * then the primary acknowledges no write that the secondary lacks.
   */
  CompletableFuture<Void> degraded(String reason);

  /**
   * Primary: this node's replica accepted a secondary's session (its reintegration begins): an
   * ALONE primary may become PRIM again (spec C.2). Heartbeats alone cannot say it: a secondary
   * whose stream broke still says SECOND while it retries.
   */
  default void secondaryAttached() {}

  /**
   * Runs the module's {@code _rfs_*} script callback {@code name} (spec B.7 {@code scripts="on"},
   * E.7): {@code SAFEUSERBIN/_rfs_callback <name>}, with the environment, user log and process
   * group of the other module scripts (spec E.2, E.3). Replication calls it only with {@code
   * scripts="on"} and waits for the answer before going on.
   *
   * @return completes with the script's exit code; 0 when the module has no {@code _rfs_callback}
   *     (missing scripts are skipped, spec E.4) or runs no scripts (no {@code <user>}); fails if
   *     the module is removed first
   */
  default CompletableFuture<Integer> runCallback(String name) {
    return CompletableFuture.completedFuture(0);
  }

  /**
   * Primary: the local replicated file system did not answer the null request of {@code
   * checktime}/{@code checkintv} in time (spec B.7): the module must be restarted ({@code safekit
   * stopstart}). Replication has logged why; the runtime only asks for the restart.
   */
  default void stopstart(String reason) {}
}
