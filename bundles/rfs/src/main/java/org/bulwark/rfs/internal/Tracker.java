package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.LocalTree;

/**
 * The write path's bookkeeping, before each operation runs (DESIGN: intent log): the zones it will
 * change are recorded in the {@link ZoneLog} — durably if they are new — keyed by the file's inode;
 * a change of names is noted so that the next reintegration pass compares the trees. It also
 * remembers which path each inode was last written under, so that zones can be named again for a
 * reintegration pass that does not walk the trees.
 */
final class Tracker {
  /**
   * Zones past this one count as the whole file: a bitmap stays small (128 KB) whatever a record,
   * or a peer, claims (8 TiB at the default 8 MiB zones).
   */
  static final int MAX_ZONE = 1 << 20;

  private final ZoneLog log;
  private final List<LocalTree> trees;
  private final long zoneSize;
  private final Map<String, Long> inoByPath = new ConcurrentHashMap<>();
  private final Map<String, String> pathByIno = new ConcurrentHashMap<>();

  /**
   * Spec C.12, {@code rfssync external prim}: the zones written since the mark, recorded as in the
   * main log but never forgotten after a flush; null when no external synchronisation is prepared.
   */
  private volatile ZoneLog epoch;

  private volatile java.util.function.Consumer<IOException> epochFailed = e -> {};

  Tracker(ZoneLog log, List<LocalTree> trees, long zoneSize) {
    this.log = log;
    this.trees = trees;
    this.zoneSize = zoneSize;
  }

  long zoneSize() {
    return zoneSize;
  }

  ZoneLog log() {
    return log;
  }

  /** Starts (or with null, ends) recording into an epoch; see {@link ExternalSync}. */
  void epoch(ZoneLog epoch) {
    this.epoch = epoch;
  }

  /** What to do when the epoch cannot be written (the main record goes on). */
  void onEpochFailure(java.util.function.Consumer<IOException> action) {
    this.epochFailed = action;
  }

  /**
   * After a successful operation that gave a file a name (create, mknod, link, rename): with an
   * epoch, the file counts whole, since the destination may hold another file under that name (spec
   * C.12: a restored backup); a directory renamed counts whole with every file beneath it. Called
   * under the operation's locks.
   */
  void named(int dir, FileOperation op) {
    ZoneLog e = epoch;
    if (e == null) {
      return;
    }
    List<String> names =
        op instanceof FileOperation.Rename r
            ? (r.flags() & 2) != 0 ? List.of(r.target(), r.path()) : List.of(r.target())
            : op instanceof FileOperation.Link l
                ? List.of(l.target())
                : op instanceof FileOperation.Create || op instanceof FileOperation.Mknod
                    ? List.of(op.path())
                    : List.of();
    try {
      for (String name : names) {
        Optional<FileStat> s = trees.get(dir).stat(name);
        // a directory renamed: whole, its subtree (see #renamed); the backup may hold other files
        // under the names it gave them
        if (s.isPresent()
            && (s.get().type() == org.bulwark.api.fs.FileType.REGULAR
                || s.get().type() == org.bulwark.api.fs.FileType.DIRECTORY)) {
          e.touch(new ZoneLog.Zone(dir, s.get().ino(), ZoneLog.WHOLE));
        }
      }
    } catch (IOException x) {
      epochFailed.accept(x);
    }
  }

  private void touch(int dir, long ino, long offset, long length) throws IOException {
    log.touch(dir, ino, offset, length, zoneSize);
    ZoneLog e = epoch;
    if (e != null) {
      try {
        e.touch(dir, ino, offset, length, zoneSize);
      } catch (IOException x) {
        epochFailed.accept(x);
      }
    }
  }

  private void touch(ZoneLog.Zone z) throws IOException {
    log.touch(z);
    ZoneLog e = epoch;
    if (e != null) {
      try {
        e.touch(z);
      } catch (IOException x) {
        epochFailed.accept(x);
      }
    }
  }

  /** Records what {@code op} is about to change (called under its locks, before it runs). */
  void before(int dir, FileOperation op) throws IOException {
    String p = op.path();
    if (op instanceof FileOperation.Sync) {
      return;
    }
    if (p == null) {
      if (orphans) {
        // a file that keeps another name changed with no name given: where is not known; whole
        // zones until a reintegration compared everything, as before blocks were kept
        log.distrustBlocks();
      }
      return;
    }
    if (ChangeOf.namespace(op)) {
      log.namesChanged();
      noteOrphan(dir, op);
      renamed(dir, op);
      inoByPath.clear(); // names move: inodes are looked up again
      pathByIno.clear();
      return;
    }
    Optional<Long> ino = ino(dir, p);
    if (ino.isEmpty()) {
      return; // no such file: the operation fails, or a name change will show it
    }
    long i = ino.get();
    if (op instanceof FileOperation.Write w) {
      touch(dir, i, w.offset(), w.length());
    } else if (op instanceof FileOperation.Truncate t) {
      truncate(dir, p, i, t.size());
      touch(new ZoneLog.Zone(dir, i, ZoneLog.META));
    } else if (op instanceof FileOperation.Fallocate f) {
      if ((f.mode() & (COLLAPSE_RANGE | INSERT_RANGE)) != 0) {
        touch(new ZoneLog.Zone(dir, i, ZoneLog.WHOLE)); // every byte after offset moves
      } else {
        touch(dir, i, f.offset(), f.length());
      }
    } else {
      touch(new ZoneLog.Zone(dir, i, ZoneLog.META));
    }
  }

  /**
   * A file that gets a name the secondary may give to another file: the source of a rename (and the
   * target of an exchange), a new hard link; a directory renamed moves every file beneath it. Their
   * written blocks are no longer the difference from the secondary's file under that name, and the
   * file is recorded whole, durably, before the change runs, whatever the secondary's state
   * (docs/replication.md, "Change tracking"):
   *
   * <ul>
   *   <li>not synchronous: the change reaches the secondary only when a pass compares the trees,
   *       and its file under the new name may be another one of the same size and time (renamed
   *       over while a pass copied that name, or after);
   *   <li>synchronous: the change may never be applied there — the session ends before it is
   *       acknowledged, or (acknowledged on receipt) before it is written, or the primary crashes
   *       once it ran here — and the secondary then keeps, under the new name, the file it held
   *       before. The record is forgotten at the next flush the secondary acknowledges, which comes
   *       after the change: in a session that lasts, the file is never copied for it.
   * </ul>
   *
   * <p>A directory is recorded the same way, one record for its whole subtree (the secondary may
   * hold, under its new name, other files of the same size and time as those beneath it: a
   * directory removed there, then this one renamed over its name).
   */
  private void renamed(int dir, FileOperation op) throws IOException {
    if (op instanceof FileOperation.Rename r) {
      distrust(dir, r.path(), true);
      if ((r.flags() & 2) != 0) {
        distrust(dir, r.target(), true);
      }
    } else if (op instanceof FileOperation.Link) {
      distrust(dir, op.path(), true);
    }
  }

  /**
   * @param whole renamed or linked: recorded whole now; else created: whole with its first record
   *     ({@link ZoneLog#created})
   */
  private void distrust(int dir, String path, boolean whole) throws IOException {
    Optional<FileStat> s = trees.get(dir).stat(path);
    if (s.isPresent() && s.get().type() == org.bulwark.api.fs.FileType.DIRECTORY) {
      log.distrustBlocks();
      if (whole) {
        // a directory's inode recorded whole stands for its whole subtree: every regular file
        // beneath it, wherever it is then, is copied whole by the next pass (Plan); being keyed
        // by inode, a later rename of it or of a directory above needs nothing more
        touch(new ZoneLog.Zone(dir, s.get().ino(), ZoneLog.WHOLE));
      }
    } else if (s.isPresent()) {
      log.distrustBlocks(dir, s.get().ino());
      if (s.get().type() != org.bulwark.api.fs.FileType.REGULAR) {
        return;
      }
      if (whole) {
        touch(new ZoneLog.Zone(dir, s.get().ino(), ZoneLog.WHOLE));
      } else {
        log.created(dir, s.get().ino());
      }
    }
  }

  /**
   * A file a reintegration's copy found under another name than planned (renamed meanwhile):
   * recorded whole, durably as {@link #renamed} does, so that the next pass copies it whatever its
   * size and time.
   */
  void whole(int dir, long ino) throws IOException {
    touch(new ZoneLog.Zone(dir, ino, ZoneLog.WHOLE));
  }

  /**
   * After an operation ran (under its locks): a file created has a name the secondary may give to
   * another file (one removed meanwhile, or whose removal never reached it), which may have its
   * size and time while its bytes differ where the new file was never written. Whatever the
   * secondary's state: while it follows, the change may still never be applied there (see {@link
   * #renamed}).
   */
  void after(int dir, FileOperation op) throws IOException {
    if ((op instanceof FileOperation.Create || op instanceof FileOperation.Mknod)
        && op.path() != null) {
      distrust(dir, op.path(), false);
    }
  }

  private static final int COLLAPSE_RANGE = 0x08;
  private static final int INSERT_RANGE = 0x20;

  /** Zones a cut may name one by one; a longer cut names the whole file (one record). */
  static final long CUT_ZONES = 1024;

  /**
   * A truncation to {@code size}: the zone of the new end (a copy step, which ends with the size),
   * and what a cut removes, {@code [size, old size)}: grown again later, that part reads as zeros,
   * while the secondary's copy would keep its old bytes there.
   */
  private void truncate(int dir, String path, long ino, long size) throws IOException {
    long old = trees.get(dir).stat(path).map(FileStat::size).orElse(0L);
    if (old > size && (old - 1) / zoneSize - size / zoneSize >= CUT_ZONES) {
      touch(new ZoneLog.Zone(dir, ino, ZoneLog.WHOLE));
    } else if (old > size) {
      touch(dir, ino, size, old - size);
    } else {
      touch(dir, ino, size, 1);
    }
  }

  /**
   * A name removed (unlink, or a rename over it) from a file that keeps other names: a program
   * holding it open may go on writing to it, and the driver then gives such writes no path (the
   * name it knew is gone). Remembered so that the write path can tell those writes apart from
   * writes to files gone altogether.
   */
  private void noteOrphan(int dir, FileOperation op) throws IOException {
    String gone =
        op instanceof FileOperation.Unlink
            ? op.path()
            : op instanceof FileOperation.Rename r && (r.flags() & 2) == 0 ? r.target() : null;
    if (gone == null) {
      return;
    }
    Optional<FileStat> s = trees.get(dir).stat(gone);
    if (s.isPresent()
        && s.get().type() == org.bulwark.api.fs.FileType.REGULAR
        && s.get().nlink() > 1) {
      orphans = true;
    }
  }

  private volatile boolean orphans;

  /**
   * Whether a file may be written with no path while it still has a name: then a write without a
   * path cannot be replicated as such, and the secondary must be reintegrated.
   */
  boolean mayWriteOrphans() {
    return orphans;
  }

  /** A reintegration compared everything: no such file is pending any more. */
  void orphansSettled() {
    orphans = false;
  }

  private Optional<Long> ino(int dir, String path) throws IOException {
    String key = dir + ":" + path;
    Long cached = inoByPath.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<FileStat> s = trees.get(dir).stat(path);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    inoByPath.put(key, s.get().ino());
    pathByIno.put(dir + ":" + s.get().ino(), path);
    return Optional.of(s.get().ino());
  }

  /**
   * Names zones by path: through {@code names} (inode to path, from a walk of a tree) when given,
   * else through the paths the write path last saw. Zones of files found under no name are left
   * out: a file gone is a change of names, which trees compared again handle. A directory recorded
   * whole is named whole under its path now (a walk names directories too), which {@link Plan}
   * takes for its whole subtree.
   */
  static Dirt.Snapshot snapshot(
      List<ZoneLog.Zone> zones, Map<String, String> names, long zoneSize) {
    return snapshot(new ZoneLog.Dirty(zones, Map.of()), names, zoneSize);
  }

  /** The same, with the written blocks of the zones where they are known. */
  static Dirt.Snapshot snapshot(ZoneLog.Dirty dirty, Map<String, String> names, long zoneSize) {
    Map<String, BitSet> data = new HashMap<>();
    Map<String, Map<Integer, BitSet>> blocks = new HashMap<>();
    Set<String> whole = new HashSet<>();
    Set<String> meta = new HashSet<>();
    for (ZoneLog.Zone z : dirty.zones()) {
      String path = names.get(z.dir() + ":" + z.ino());
      if (path == null) {
        continue;
      }
      String key = Dirt.key(z.dir(), path);
      if (z.zone() == ZoneLog.WHOLE || z.zone() > MAX_ZONE) {
        whole.add(key);
      } else if (z.zone() == ZoneLog.META) {
        meta.add(key);
      } else if (z.zone() >= 0) {
        data.computeIfAbsent(key, k -> new BitSet()).set(z.zone());
        BitSet b = dirty.blocks().get(z);
        if (b != null) {
          blocks.computeIfAbsent(key, k -> new HashMap<>()).put(z.zone(), b);
        }
      }
    }
    return new Dirt.Snapshot(data, whole, meta, false, blocks);
  }

  /** The paths the write path last saw, by {@code dir:ino}. */
  Map<String, String> seenPaths() {
    return Map.copyOf(pathByIno);
  }

  /** Inode to path of a listing, by {@code dir:ino}. */
  static Map<String, String> names(List<Msg.Entry> entries) {
    Map<String, String> out = new HashMap<>();
    for (Msg.Entry e : entries) {
      out.putIfAbsent(e.dir() + ":" + e.ino(), e.path());
    }
    return out;
  }
}
