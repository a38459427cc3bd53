package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.LocalTree;

/**
 * The write path's exchange with a synchronous secondary (spec B.7, C.7): an intercepted
 * operation's changes queued on the session, under the operation's locks, then — the locks released
 * — its acknowledgement awaited, at most {@code locktimeout}. A failed or late acknowledgement ends
 * the session and the call is acknowledged as the primary's alone, once the peer knows ({@link
 * SecondaryLink#awaitSettled}). Holds no state of its own: {@link PrimaryInterceptor} decides when
 * each step runs.
 */
final class ChangeSender {
  /** A write sent to the secondary before it ran here. */
  record EarlyWrite(
      FileOperation.Write op, PrimarySession session, CompletableFuture<Integer> ack) {}

  private final PrimaryReplica replica;
  private final List<LocalTree> trees;
  private final List<Exclusions> exclusions;
  private final Rfs rfs;
  private final Tracker tracker;
  private final ZoneLog zones;
  private final PendingTimes times;
  private final SecondaryLink link;

  ChangeSender(
      PrimaryReplica replica,
      List<LocalTree> trees,
      List<Exclusions> exclusions,
      Rfs rfs,
      Tracker tracker,
      ZoneLog zones,
      PendingTimes times,
      SecondaryLink link) {
    this.replica = replica;
    this.trees = trees;
    this.exclusions = exclusions;
    this.rfs = rfs;
    this.tracker = tracker;
    this.zones = zones;
    this.times = times;
    this.link = link;
  }

  /**
   * Before a write runs here, under its file's lock: its change queued for the secondary, which
   * keeps the modification time its own write gives (the primary's is carried later: {@link
   * PendingTimes}); null when nothing is sent (excluded, no name, the session ended: the usual path
   * in {@code after} decides then).
   */
  EarlyWrite sendWrite(int dir, FileOperation.Write w, PrimarySession s) {
    if (w.path() == null || exclusions.get(dir).excludes(w)) {
      return null;
    }
    try {
      EarlyWrite sent = new EarlyWrite(w, s, send(s, ChangeOf.write(dir, w, Change.KEEP_TIME)));
      times.add(dir, w.path());
      return sent;
    } catch (IOException e) {
      s.end(e.getMessage());
      return null;
    }
  }

  /**
   * After a write sent early ran here: the acknowledgement to wait for. Null when the copies may
   * differ — the write failed here — and the session ends: the write's zones are recorded, the next
   * reintegration copies them again.
   */
  static CompletableFuture<Integer> wroteHere(EarlyWrite sent, int errno) {
    if (errno != 0) {
      sent.session().end("a write sent to the secondary failed on the primary: errno " + errno);
      return null;
    }
    return sent.ack();
  }

  /** Under the operation's locks: queues its change (recorded already) when a secondary follows. */
  CompletableFuture<Integer> replicate(int dir, FileOperation op, PrimarySession s) {
    if (s == null) {
      return null;
    }
    if (op.path() == null && !(op instanceof FileOperation.Sync)) {
      if (tracker.mayWriteOrphans()) {
        // a file that lost this name may live on under another: its write cannot be named, so
        // the secondary is reintegrated (trees compared: the file's new time shows it)
        zones.namesChanged();
        s.end("a file was written through a descriptor after its name was removed");
      }
      return null; // else a file unlinked altogether: gone from both trees
    }
    if (op instanceof FileOperation.Rename r && !exclusions.get(dir).none()) {
      return acrossExclusions(dir, r, s);
    }
    if (exclusions.get(dir).excludes(op)) {
      return null;
    }
    try {
      List<Change> changes = ChangeOf.of(dir, op, trees.get(dir), rfs.acl());
      if (changes.isEmpty()) {
        return null;
      }
      CompletableFuture<Integer> last = null;
      for (Change c : changes) {
        last = send(s, c); // acknowledged in order: the last one answers for all
      }
      if (op instanceof FileOperation.Write
          || op instanceof FileOperation.Truncate
          || op instanceof FileOperation.Fallocate) {
        times.add(dir, op.path());
      }
      return last;
    } catch (IOException e) {
      s.end(e.getMessage());
      return null;
    }
  }

  /** Waits for the secondary's acknowledgement, at most {@code locktimeout} (spec B.7, C.7). */
  void await(FileOperation op, PrimarySession s, CompletableFuture<Integer> ack) {
    String failure;
    try {
      int errno = ack.get(rfs.locktimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (errno == 0) {
        return;
      }
      failure =
          "the secondary could not apply " + op.getClass().getSimpleName() + ": errno " + errno;
    } catch (TimeoutException e) {
      failure = "locktimeout: no acknowledgement within " + rfs.locktimeout().toSeconds() + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (Exception e) {
      failure = e.getCause() == null ? e.toString() : e.getCause().getMessage();
    }
    s.end(failure);
    link.awaitSettled(s); // the session ended: this write is acknowledged as the primary's alone
  }

  /**
   * A rename that may cross the boundary of what is replicated (spec B.7: unsupported by the
   * original, replicated here as what it amounts to): out of it, the secondary's copy goes; into
   * it, the renamed file or tree is copied there.
   */
  private CompletableFuture<Integer> acrossExclusions(
      int dir, FileOperation.Rename r, PrimarySession s) {
    Exclusions x = exclusions.get(dir);
    try {
      boolean isDir =
          trees
              .get(dir)
              .stat(r.target())
              .map(st -> st.type() == org.bulwark.api.fs.FileType.DIRECTORY)
              .orElse(false);
      boolean from = x.excludes(r.path(), isDir);
      boolean to = x.excludes(r.target(), isDir);
      if (from && to) {
        return null;
      }
      if (!from && !to) {
        return sendAll(ChangeOf.of(dir, r, trees.get(dir), rfs.acl()), s);
      }
      if (to) {
        return sendAll(List.of(new Change.RemoveTree(dir, r.path())), s);
      }
      List<Msg.Entry> copied = TreeWalk.walkFrom(trees.get(dir), dir, r.target(), x);
      Reintegrator copy = new Reintegrator(replica, s, () -> List.of());
      for (Plan.Step step : Plan.of(copied, List.of(), true, Dirt.Snapshot.EMPTY)) {
        copy.execute(step, true);
      }
      return send(s, new Change.Sync(dir, "/", false));
    } catch (IOException e) {
      s.end(e.getMessage());
      return null;
    }
  }

  private CompletableFuture<Integer> sendAll(List<Change> changes, PrimarySession s)
      throws IOException {
    CompletableFuture<Integer> last = null;
    for (Change c : changes) {
      last = send(s, c);
    }
    return last;
  }

  /** A live change to the secondary, counted in {@code rfs.rep_bandwidth} (spec B.20). */
  private CompletableFuture<Integer> send(PrimarySession s, Change c) throws IOException {
    replica.resources().traffic().live(c); // before: a write's data is released once sent
    return s.send(c);
  }
}
