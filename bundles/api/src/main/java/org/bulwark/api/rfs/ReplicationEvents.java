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
   * Primary: the secondary is no longer fed (replication link, its disk, a timeout): writes go on
   * locally and are tracked for the next reintegration ({@code rfs.degraded}, spec C.7). The future
   * completes once the module has announced it to its peer (a new data generation in its
   * heartbeats); until then the primary acknowledges no write that the secondary lacks.
   */
  CompletableFuture<Void> degraded(String reason);
}
