package org.bulwark.api.rfs;

import java.io.IOException;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The replication of one module on this node. The module runtime calls it from its plans, one role
 * at a time (spec E.4): {@link #startPrimary} before the application starts on ALONE/PRIM, {@link
 * #stopPrimary} after it stopped; {@link #startSecondary} on SECOND, which reintegrates in the
 * background and reports through {@link ReplicationEvents}.
 */
@ProviderType
public interface ModuleReplication extends AutoCloseable {

  /**
   * Serves the replicated directories read-write (mounted over themselves, every change
   * intercepted) and listens for the secondary. Returns once the application may use them.
   *
   * @param fullsync the next reintegration copies everything ({@code prim fullsync}, {@code
   *     primforce}, spec C.4 case 4)
   * @throws IOException naming the directory when one cannot be served (a {@code tocheck} path
   *     missing, the mount refused): the application must not start
   */
  void startPrimary(boolean fullsync) throws IOException;

  /**
   * Stops serving as primary: the secondary is told, the directories unmounted (processes still
   * holding files are reported and, after {@code timeout}, cut off).
   */
  void stopPrimary(Duration timeout) throws IOException;

  /**
   * Follows the primary: makes the copies read-only to local applications when configured, then
   * connects and reintegrates in the background.
   *
   * @param policy {@code ""} (changed zones only when possible), {@code "fullsync"}, a date for
   *     {@code secondforce -d} (spec C.12), or {@code "nosync"} after a {@code swap nosync} (spec
   *     C.10: no comparison of the trees, which were equal at the swap, when the primary can vouch
   *     for it; else as {@code ""})
   */
  void startSecondary(String policy) throws IOException;

  /**
   * The automaton gave the secondary up (its heartbeats are lost, spec C.2): the primary stops
   * waiting for it at once rather than after {@code sendtimeout}; writes go on alone, recorded for
   * its reintegration.
   */
  void detachSecondary();

  /** Stops following: the connection closes; what was applied stays. */
  void stopSecondary(Duration timeout) throws IOException;

  /** Where replication stands, for {@code safekit state -v} and the console. */
  ReplicationStatus status();

  /** Stops whatever role runs. */
  @Override
  void close() throws IOException;
}
