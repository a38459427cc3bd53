package org.bulwark.rfs.internal;

import org.bulwark.api.fs.FileOperation;

/**
 * A fault put into the primary's replication engine by a test (spec C.7, docs/replication.md
 * "Replication fails on the primary"): called at a few points of the interceptor's path and of the
 * session's code, it may throw what a bug would. Production never sets one: the only setter is
 * package-private ({@link ReplicationFailure#injectFault}) and nothing in the bundle calls it.
 */
@FunctionalInterface
interface EngineFault {

  /** Where the engine asks. */
  enum Point {
    /** In the interceptor before the local operation, its lock held. */
    BEFORE,
    /** In the interceptor after the local operation, its lock held. */
    AFTER,
    /** On the session's event loop, an acknowledgement of the secondary in hand. */
    ACK
  }

  EngineFault NONE = (point, op) -> {};

  /**
   * @param op the application's operation, null at {@link Point#ACK}
   */
  void at(Point point, FileOperation op);
}
