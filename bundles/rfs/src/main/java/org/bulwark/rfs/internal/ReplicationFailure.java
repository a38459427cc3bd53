package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.store.EventLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication failing on the primary itself (spec C.7, docs/replication.md "Degraded replication"
 * and "Replication fails on the primary"): the change record lost, the interception gone, the
 * engine's own failure. Each makes the next reintegration full and fails replication once: {@code
 * rfs.degraded} up, the session ended, no other accepted until the module is stopped and started. A
 * secondary lost is not one of them: that is the link's ({@link SecondaryLink}).
 */
final class ReplicationFailure {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationFailure.class);

  private final String module;
  private final ReplicationEvents events;
  private final Resources resources;
  private final SyncState sync;
  private final SecondaryLink link;

  /**
   * Set when replication failed irrecoverably on this primary ({@link #fail}): the reason. From
   * then on no secondary is accepted until the module is stopped and started (a new replica), as
   * SafeKit's primary after its nfsbox failed (spec C.7).
   */
  private final java.util.concurrent.atomic.AtomicReference<String> failedBecause =
      new java.util.concurrent.atomic.AtomicReference<>();

  /**
   * Set when the engine itself failed ({@link #engineFailed}): the interceptor passes every call
   * through untouched (no lock, no record, nothing sent) until the module is stopped and started.
   */
  private volatile boolean passThrough;

  /** Whether the next reintegration copies everything (asked for, or after a failure). */
  private volatile boolean fullNext;

  /** A test's fault in the engine ({@link EngineFault}); none in production. */
  private volatile EngineFault fault = EngineFault.NONE;

  ReplicationFailure(
      String module,
      ReplicationEvents events,
      Resources resources,
      SyncState sync,
      SecondaryLink link) {
    this.module = module;
    this.events = events;
    this.resources = resources;
    this.sync = sync;
    this.link = link;
  }

  /** Whether the next reintegration copies everything, as {@code fullsync} asks at start. */
  void fullNext(boolean full) {
    fullNext = full;
  }

  /** Whether the next reintegration copies everything, and forget it (it is being done). */
  boolean takeFullNext() {
    boolean f = fullNext;
    fullNext = false;
    return f;
  }

  /**
   * Why replication failed irrecoverably on this primary, or null: a secondary that connects is
   * refused with it until the module is stopped and started.
   */
  String reason() {
    return failedBecause.get();
  }

  /**
   * Replication cannot go on safely on this primary (spec C.7, docs/replication.md "Degraded
   * replication"): what the application changes can no longer be recorded for the secondary. No
   * failover: the application goes on here without replication, {@code rfs.degraded} goes up (the
   * failover machine's {@code degraded_server} then holds the peer in WAIT), the session ends and
   * no other is accepted until the module is stopped and started. Once only.
   */
  void fail(String reason) {
    // no monitor of the link here: the caller holds a file or namespace lock (see SecondaryLink)
    if (link.closed() || !failedBecause.compareAndSet(null, reason)) {
      return;
    }
    events.log(
        EventLevel.E,
        "nfsadmin",
        "Replication failed on the primary: "
            + reason
            + " (replication stays off until the module is stopped and started)");
    resources.set("rfs.degraded", "up");
    PrimarySession s = link.current();
    if (s != null) {
      s.end("replication failed on the primary: " + reason); // the link tells the automaton
    } else {
      events.degraded("replication failed on the primary: " + reason);
    }
  }

  /** Puts a fault into the engine (tests only: see {@link EngineFault}). */
  void injectFault(EngineFault f) {
    fault = f;
  }

  EngineFault fault() {
    return fault;
  }

  /** Whether the interceptor only passes calls through, the engine having failed (tests). */
  boolean passingThrough() {
    return passThrough;
  }

  /**
   * The engine threw what it should not (a bug, an Error) {@code where}: on the path of an
   * application's call, on a session's event loop or in a flush. No link or secondary failure, so
   * no reintegration can be trusted to find what this primary changes from now on. The interceptor
   * passes every call through, the next reintegration is full (also after a restart: {@link
   * SyncState#markFull}), and replication fails as when the record is lost (spec C.7). The stack
   * trace goes to the technical log only.
   */
  void engineFailed(String where, Throwable e) {
    passThrough = true;
    if (failedBecause.get() == null && !link.closed()) {
      LOG.error("Module {}: the replication engine failed in {}", module, where, e);
    }
    markFullNext();
    fail("internal error of the replication engine in " + where + ": " + e);
  }

  /**
   * The mount of directory {@code dir} no longer intercepts it (unmounted, lazily or not, or
   * covered): what the application writes there goes to the directory underneath, untracked. Spec
   * C.7 and nfsboxv3's message (spec "log messages"); the next reintegration is full.
   */
  void interceptionLost(Path dir, String how) {
    if (link.closed()) {
      return;
    }
    events.log(
        EventLevel.E,
        "nfsboxv3",
        "Kernel filter configuration failed for " + dir + ". Check for module conflicts.");
    markFullNext();
    fail(
        "the interception of "
            + dir
            + " is gone ("
            + how
            + "): changes made there are not tracked");
  }

  /** The next reintegration copies everything, durably if the state's disk allows. */
  void markFullNext() {
    fullNext = true;
    try {
      sync.markFull(); // survives the restart that ends the failure (spec C.7)
    } catch (IOException again) {
      LOG.error("Module {}: cannot mark the next reintegration full", module, again);
    }
  }
}
