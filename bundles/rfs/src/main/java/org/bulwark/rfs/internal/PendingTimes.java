package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.LocalTree;

/**
 * Files written, cut or allocated through the synchronous session since their modification time was
 * last sent: each node's copy has the time its own write gave it until the primary's is carried —
 * at the next flush, change of names, online verify and end of reintegration (docs/replication.md,
 * *Modification times*). Setting the primary's time explicitly on both copies after every write
 * made every fsync commit the inode on both nodes (benchmarks.md, "Replication": +40–55 µs per 4
 * KiB write+fsync on each). Added under the file's lock, carried under the namespace lock (all of
 * them) or under the file's lock (one).
 */
final class PendingTimes {
  /** A file whose data changed since its time was last carried to the secondary. */
  private record TimeOf(int dir, String path) {}

  private final List<LocalTree> trees;
  private final Set<TimeOf> pending = ConcurrentHashMap.newKeySet();

  PendingTimes(List<LocalTree> trees) {
    this.trees = trees;
  }

  /** Under the file's lock, its change queued: its time is to be carried at the next barrier. */
  void add(int dir, String path) {
    pending.add(new TimeOf(dir, path));
  }

  /** Forgets every pending time (the reintegration that ends sent every copied file's). */
  void clear() {
    pending.clear();
  }

  /**
   * Under the namespace lock held exclusively (no write runs): every pending file's time as it is
   * here now, queued for the secondary before whatever the caller queues next.
   */
  void carryAll(PrimarySession s) throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    List<TimeOf> all = List.copyOf(pending);
    pending.clear();
    for (TimeOf t : all) {
      send(s, t);
    }
  }

  /**
   * Under the file's lock: its time, if pending, queued for the secondary (online verify compares
   * attributes, times included, at this point of the order).
   */
  void carry(PrimarySession s, int dir, String path) throws IOException {
    TimeOf t = new TimeOf(dir, path);
    if (pending.remove(t)) {
      send(s, t);
    }
  }

  /** Whether a file's time is still to be carried (tests). */
  boolean pending(int dir, String path) {
    return pending.contains(new TimeOf(dir, path));
  }

  private void send(PrimarySession s, TimeOf t) throws IOException {
    Optional<FileStat> st = trees.get(t.dir()).stat(t.path());
    if (st.isEmpty()) {
      return; // gone with a change of names, which carried the times before it ran
    }
    Change.Times times =
        new Change.Times(t.dir(), t.path(), FileOperation.SetTimes.OMIT, st.get().mtimeNanos());
    s.send(times)
        .thenAccept(
            errno -> {
              if (errno != 0) {
                s.end("the secondary could not set the time of " + t.path() + ": errno " + errno);
              }
            });
  }
}
