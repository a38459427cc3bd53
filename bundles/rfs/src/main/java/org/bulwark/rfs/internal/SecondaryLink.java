package org.bulwark.rfs.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.store.EventLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's link to its secondary (spec C.4, C.7): which session is current and how far it is
 * ({@link State}), what ends it, and — once a synchronous one ended — the announcement to the peer
 * that the primary goes on alone, which the writes made after it wait for.
 *
 * <p>States: ABSENT → REINTEGRATING ({@link #attach}) → SYNCHRONOUS ({@link #inSync}, at the end of
 * the reintegration's barrier) → ABSENT (the session ends, {@link #ended}). A secondary that
 * connects again ends the session it replaces first.
 *
 * <p>One monitor, this object's, orders a session's start and end, and online verify takes it too
 * (one verify at a time, none while a session begins or ends). No writer holds it while it waits
 * for the network.
 */
final class SecondaryLink {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryLink.class);

  /** How far the current secondary is. */
  enum State {
    ABSENT,
    REINTEGRATING,
    SYNCHRONOUS
  }

  /** How long a write waits for the announcement that the primary is alone before going on. */
  static final long ANNOUNCE_MILLIS = 10_000;

  private final String module;
  private final ReplicationEvents events;
  private final AtomicLong sessions = new AtomicLong();

  // the current secondary's session and how far it is: written under the namespace lock
  private volatile PrimarySession current;
  private volatile State state = State.ABSENT;

  /** The primary stops: a session that ends now is no loss of the secondary. */
  private volatile boolean closed;

  /**
   * Set when a synchronous session ends: writes made after it are acknowledged to the application
   * only once the module has told its peer that the primary goes on alone (a new generation), so
   * that a secondary that lost the stream never takes over without writes it lacks.
   */
  private volatile CompletableFuture<Void> announced = CompletableFuture.completedFuture(null);

  /** The rfssync policy when the current session began: back to default once it is in sync. */
  private volatile RfssyncPolicy sessionPolicy = RfssyncPolicy.DEFAULT;

  SecondaryLink(String module, ReplicationEvents events) {
    this.module = module;
    this.events = events;
  }

  /** The current session, whatever its state, or null. */
  PrimarySession current() {
    return current;
  }

  State state() {
    return state;
  }

  /** Whether the current session, if any, is synchronous. */
  boolean isSynchronous() {
    return state == State.SYNCHRONOUS;
  }

  /** The current session if it follows synchronously, else null. */
  PrimarySession synchronous() {
    return state == State.SYNCHRONOUS ? current : null;
  }

  /** The rfssync policy the current session began with. */
  RfssyncPolicy policy() {
    return sessionPolicy;
  }

  /**
   * A new secondary session: the previous one (a reconnecting secondary) ends. Called on a Netty
   * event loop: it takes no lock a writer may hold while waiting for the network.
   */
  long attach(PrimarySession s, RfssyncPolicy policy) {
    sessionPolicy = policy;
    PrimarySession old = current;
    if (old != null && old != s) {
      old.end("the secondary connected again"); // reported (degraded) before the new one
    }
    synchronized (this) {
      current = s;
      state = State.REINTEGRATING;
    }
    events.secondaryAttached(); // an ALONE primary may become PRIM (spec C.2)
    s.ended().thenAccept(reason -> ended(s, reason));
    return sessions.incrementAndGet();
  }

  /** Ends the current session, if any: the writes waiting for it go on alone. */
  void detach(String reason) {
    PrimarySession s = current;
    if (s != null) {
      s.end(reason);
    }
  }

  /**
   * Under the reintegration's barrier, its last step done: from now on the current session follows
   * synchronously.
   */
  void inSync() {
    state = State.SYNCHRONOUS;
  }

  /** The primary stops: sessions that end from now on are not reported as lost. */
  void close() {
    closed = true;
  }

  boolean closed() {
    return closed;
  }

  /** Whether writes must still wait for the announcement that the primary is alone. */
  boolean announcing() {
    return !announced.isDone();
  }

  /** Waits, at most {@link #ANNOUNCE_MILLIS}, for the peer to know that the primary is alone. */
  void awaitAnnounced() {
    try {
      announced.get(ANNOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("Module {}: the degraded state was not announced in time", module);
    }
  }

  /** After a session ended under a write: waits until it is settled and the end announced. */
  void awaitSettled(PrimarySession s) {
    try {
      s.settled().get(ANNOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("Module {}: a replication session did not settle in time", module);
    }
    awaitAnnounced();
  }

  /**
   * A session ended (in the thread that ended it). What it had not made durable on the secondary is
   * still in the {@link ZoneLog} (zones are forgotten only after a flush). Ending a synchronous
   * session starts the announcement that this primary goes on alone; {@link PrimarySession#settled}
   * completes after.
   */
  private void ended(PrimarySession s, String reason) {
    State was;
    synchronized (this) {
      if (current != s) {
        s.settle();
        return;
      }
      was = state;
      if (!closed) {
        // a PRIM goes ALONE (spec C.7, UG §13.7.3): a link failure, not rfs.degraded, which says
        // that replication failed on this primary (ReplicationFailure#fail)
        CompletableFuture<Void> told = events.degraded(reason);
        if (was == State.SYNCHRONOUS) {
          announced = told;
        }
      }
      current = null;
      state = State.ABSENT;
    }
    s.settle();
    if (closed) {
      return;
    }
    if (was == State.SYNCHRONOUS) {
      events.log(EventLevel.E, "nfsadmin", "Replication to the secondary stopped: " + reason);
    } else {
      events.log(EventLevel.I, "reintegre", "Reintegration of the secondary stopped: " + reason);
    }
  }
}
