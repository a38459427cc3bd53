package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's interceptor of one replicated directory: every application call on its mount passes
 * here before and after it runs (spec B.7, C.4). Before: the operation's lock (the file's, or the
 * namespace's for a change of names), its intent recorded ({@link Tracker}), and for a write or
 * fsync its change already sent when a secondary follows synchronously. After: what it made
 * recorded, its change sent if not already, the lock released, then the acknowledgement awaited
 * ({@link ChangeSender}). Whatever the engine throws here ends replication, never the application's
 * call ({@link ReplicationFailure#engineFailed}).
 */
final class PrimaryInterceptor implements FileInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryInterceptor.class);

  /** An fsync's barrier sent to the secondary before the local fsync ran, awaited after it. */
  private record EarlySync(
      FileOperation op, PrimarySession session, CompletableFuture<Integer> ack) {}

  private final String module;
  private final int dir;
  private final Locks locks;
  private final Tracker tracker;
  private final ZoneLog zones;
  private final PendingTimes times;
  private final SecondaryLink link;
  private final ReplicationFailure failure;
  private final Exclusions exclusions;
  private final ChangeSender sender;

  // before and after of one operation run on one thread (the driver's worker)
  private final ThreadLocal<EarlySync> early = new ThreadLocal<>();

  private final ThreadLocal<ChangeSender.EarlyWrite> earlyWrite = new ThreadLocal<>();

  // the operation whose lock this thread holds, and one the engine let pass untouched
  private final ThreadLocal<FileOperation> held = new ThreadLocal<>();
  private final ThreadLocal<FileOperation> bypassed = new ThreadLocal<>();

  /**
   * The interceptor of directory {@code dir} of {@code replica}, sending through {@code sender}.
   */
  PrimaryInterceptor(PrimaryReplica replica, int dir, ChangeSender sender) {
    this.module = replica.setup().module();
    this.dir = dir;
    this.locks = replica.locks();
    this.tracker = replica.tracker();
    this.zones = replica.zones();
    this.times = replica.times();
    this.link = replica.link();
    this.failure = replica.failure();
    this.exclusions = replica.exclusions(dir);
    this.sender = sender;
  }

  /**
   * Spec C.7, docs/replication.md "Replication fails on the primary": whatever the engine throws (a
   * bug, an Error) ends replication, never the application's call. The call goes on as a pass-
   * through, the lock it took is released in {@link #after}, and from then on the interceptor only
   * passes calls through: the next reintegration is full.
   */
  @Override
  public void before(FileOperation op) {
    if (failure.passingThrough()) {
      bypassed.set(op);
      return;
    }
    try {
      replicateBefore(op);
      failure.fault().at(EngineFault.Point.BEFORE, op);
    } catch (RuntimeException | Error e) {
      bypassed.set(op);
      failure.engineFailed(op.getClass().getSimpleName(), e);
    }
  }

  @Override
  public void after(FileOperation op, int errno) {
    if (bypassed.get() == op) {
      bypassed.remove();
      early.remove();
      earlyWrite.remove();
      release(op);
      if (link.announcing()) {
        link.awaitAnnounced(); // as any write after a session ended: the peer knows first
      }
      return;
    }
    try {
      failure.fault().at(EngineFault.Point.AFTER, op);
      replicateAfter(op, errno);
    } catch (RuntimeException | Error e) {
      failure.engineFailed(op.getClass().getSimpleName(), e);
    } finally {
      release(op); // if the failure came before replicateAfter released it
    }
  }

  /** The lock {@link #replicateBefore} took for this operation, released once. */
  private void release(FileOperation op) {
    if (held.get() != op) {
      return;
    }
    held.remove();
    if (ChangeOf.namespace(op)) {
      locks.unlockNamespace();
    } else {
      locks.unlockFile(dir, op.path());
    }
  }

  private void replicateBefore(FileOperation op) {
    if (op instanceof FileOperation.Sync) {
      // The barrier goes to the secondary now, so that both disks flush at the same time: the
      // call still returns only once the file is durable on both (after). It covers what the
      // application's fsync must: every change acknowledged before the call was queued before
      // it. Sent after the local fsync, as it was, the two flushes took turns (benchmarks.md,
      // "Replication": a 4 KiB write+fsync waited for two disk flushes in a row).
      PrimarySession s = link.synchronous();
      CompletableFuture<Integer> ack = sender.replicate(dir, op, s);
      if (ack != null) {
        early.set(new EarlySync(op, s, ack));
      }
      return;
    }
    if (ChangeOf.namespace(op)) {
      locks.lockNamespace();
      held.set(op);
      PrimarySession s = link.synchronous();
      if (s != null) {
        // a change of names may move or remove a written file: its time goes first
        try {
          times.carryAll(s);
        } catch (IOException e) {
          s.end(e.getMessage());
        }
      }
    } else {
      locks.lockFile(dir, op.path());
      held.set(op);
    }
    if (op instanceof FileOperation.Rename || !exclusions.excludes(op)) {
      track(op);
    }
    if (op instanceof FileOperation.Write w && link.isSynchronous()) {
      // Sent now, so that the secondary receives (and with async="none" writes) it while the
      // local write runs: the two overlap instead of taking turns. Under the file's lock, as
      // after it ran: the order of changes is the same.
      PrimarySession s = link.current();
      ChangeSender.EarlyWrite sent = s == null ? null : sender.sendWrite(dir, w, s);
      if (sent != null) {
        earlyWrite.set(sent);
      }
    }
  }

  private void replicateAfter(FileOperation op, int errno) {
    CompletableFuture<Integer> ack = null;
    PrimarySession s = null;
    if (errno == 0 && !(op instanceof FileOperation.Sync) && ChangeOf.namespace(op)) {
      tracker.named(dir, op); // still under the namespace lock taken before
    }
    EarlySync sent = op instanceof FileOperation.Sync ? early.get() : null;
    if (sent != null) {
      early.remove();
    }
    ChangeSender.EarlyWrite wrote = op instanceof FileOperation.Write ? earlyWrite.get() : null;
    if (wrote != null) {
      earlyWrite.remove();
    }
    try {
      if (sent != null && sent.op() == op) {
        s = sent.session(); // awaited even if the local fsync failed: its failure is reported
        ack = sent.ack();
      } else if (wrote != null && wrote.op() == op) {
        if (errno == 0) {
          tracked(op);
        }
        s = wrote.session();
        ack = ChangeSender.wroteHere(wrote, errno);
      } else if (errno == 0) {
        tracked(op);
        s = link.synchronous();
        ack = sender.replicate(dir, op, s);
      }
    } finally {
      release(op);
    }
    if (ack != null) {
      sender.await(op, s, ack);
    } else if (s != null && !s.isOpen()) {
      link.awaitSettled(s); // its session ended under it: acknowledged as the primary's alone
    } else if (link.announcing()) {
      link.awaitAnnounced();
    }
  }

  /**
   * Records the intent of an operation before it runs. If the record cannot be written (the disk of
   * SAFEVAR failing), the next reintegration copies everything: the write itself goes on.
   */
  private void track(FileOperation op) {
    try {
      tracker.before(dir, op);
    } catch (IOException e) {
      notRecorded(e);
    }
  }

  /**
   * After an operation ran, under its locks: what it made that the record must know. A file created
   * that could not be looked at is not known to be new: the next reintegration is full, as for a
   * change not recorded.
   */
  private void tracked(FileOperation op) {
    if (op instanceof FileOperation.Sync || exclusions.excludes(op)) {
      return;
    }
    try {
      tracker.after(dir, op);
    } catch (IOException e) {
      zones.distrustBlocks(); // whole zones: as before blocks were kept
      notRecorded(e);
    }
  }

  private void notRecorded(IOException e) {
    if (failure.reason() != null) {
      return; // said once (fail): the application goes on without replication
    }
    // a file that could not be looked at, or the record that could not be written
    LOG.error("Module {}: cannot record a change: the next reintegration is full", module, e);
    failure.markFullNext();
    if (e instanceof ZoneLog.RecordLost) {
      // The record is what a reintegration trusts: without it, no zone the application changes
      // is known to differ. Unrecoverable while this primary runs (spec C.7).
      failure.fail("the change record cannot be written: " + e.getMessage());
    }
  }
}
