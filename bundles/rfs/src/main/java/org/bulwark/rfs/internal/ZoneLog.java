package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.io.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's write-intent record (DESIGN: intent log, as DRBD's activity log and SIOS's intent
 * log): the zones of files that may differ on the secondary. A zone is recorded on disk before the
 * first write into it (so a crash of the primary never forgets a zone it wrote), and forgotten only
 * once the secondary has made it durable (after a flush). Zones are keyed by the file's identity
 * (directory number, inode), not its name, so renames while the secondary is away lose nothing.
 * Zone {@link #META} stands for a file's attributes, {@link #WHOLE} for all of it.
 *
 * <p>Each zone also carries a mark: the value of a counter when it was last written. Passes of a
 * reintegration take the zones written since the previous pass ({@link #between}); a flush forgets
 * the zones written before it ({@link #cool}). Marks live in memory; after a restart every recorded
 * zone is old and due.
 *
 * <p>On disk: a file of 16-byte records (directory, zone, inode), appended and synced before the
 * write it covers; rewritten whole (durably) when it has grown well past what is recorded.
 *
 * <p>In memory only, next to the zones: which blocks of each zone were written ({@link FineZones}),
 * kept from the end of a reintegration in this primary's life on ({@link #inSync}); a reintegration
 * sends only those. Zones loaded from disk have none: after a restart of the primary they are
 * copied whole.
 */
final class ZoneLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneLog.class);
  static final int WHOLE = -1;
  static final int META = -2;
  private static final int RECORD = 16;

  /** A zone of a file. */
  record Zone(int dir, long ino, int zone) {}

  private final Path file;

  // guarded by this
  private final Map<Zone, Long> zones = new HashMap<>();
  private final FineZones blocks;
  private long mark = 1;
  private long recordsOnDisk;
  private FileChannel channel;
  private boolean namesChanged;

  /**
   * Files created and not yet changed, as their {@link #WHOLE} zone, by the mark of their creation:
   * recorded whole, durably, with the first record that names them ({@link #created}).
   */
  private final Map<Zone, Long> created = new HashMap<>();

  /** Created files waiting for their first record; more are recorded whole at once. */
  static final int CREATED = 16_384;

  private ZoneLog(Path file, long fineBudget) {
    this.file = file;
    this.blocks = new FineZones(fineBudget);
  }

  /** Opens (creating it if needed) the record at {@code file}, loading what it holds. */
  static ZoneLog open(Path file) throws IOException {
    return open(file, FineZones.BUDGET);
  }

  /**
   * Opens the record at {@code file}, with at most {@code fineBudget} bytes of memory for the
   * blocks written in each zone ({@link FineZones}).
   */
  static ZoneLog open(Path file, long fineBudget) throws IOException {
    ZoneLog log = new ZoneLog(file, fineBudget);
    log.load();
    return log;
  }

  /**
   * Dirty zones, and the blocks ({@link FineZones#BLOCK}) written in those whose blocks are known;
   * the others are copied whole.
   */
  record Dirty(List<Zone> zones, Map<Zone, java.util.BitSet> blocks) {}

  private void load() throws IOException {
    Files.createDirectories(file.getParent());
    if (Files.exists(file)) {
      byte[] all = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(all);
      while (b.remaining() >= RECORD) {
        int dir = b.getInt();
        int zone = b.getInt();
        long ino = b.getLong();
        zones.put(new Zone(dir, ino, zone), 0L);
      }
      recordsOnDisk = all.length / RECORD;
      if (all.length % RECORD != 0) {
        // a record cut by a crash: its write never happened (it is written before the data)
        LOG.info("{}: last record incomplete, ignored", file);
        rewrite();
      }
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.position(channel.size());
  }

  /**
   * Records the zones of {@code [offset, offset + length)} of a file as written now, durably before
   * returning if any of them is new. {@code length} 0 or less records the attributes.
   */
  void touch(int dir, long ino, long offset, long length, long zoneSize) throws IOException {
    if (length <= 0) {
      touch(new Zone(dir, ino, META));
      return;
    }
    long first = offset / zoneSize;
    long last = (offset + length - 1) / zoneSize;
    if (last >= Integer.MAX_VALUE - 1) {
      touch(new Zone(dir, ino, WHOLE));
      return;
    }
    List<Zone> fresh = new ArrayList<>(1);
    synchronized (this) {
      wholeIfCreated(dir, ino, fresh);
      for (long z = first; z <= last; z++) {
        Zone k = new Zone(dir, ino, (int) z);
        boolean isNew = zones.put(k, mark) == null;
        if (isNew) {
          fresh.add(k);
        }
        long from = Math.max(offset, z * zoneSize);
        long to = Math.min(offset + length, (z + 1) * zoneSize);
        blocks.written(k, isNew, from, to, mark, zoneSize);
      }
      if (!fresh.isEmpty()) {
        append(fresh);
      }
    }
  }

  void touch(Zone z) throws IOException {
    synchronized (this) {
      List<Zone> fresh = new ArrayList<>(1);
      wholeIfCreated(z.dir(), z.ino(), fresh);
      if (zones.put(z, mark) == null) {
        fresh.add(z);
      }
      if (!fresh.isEmpty()) {
        append(fresh);
      }
      if (z.zone() >= 0) {
        blocks.forget(z); // a data zone named alone: whole
      }
    }
  }

  /** Records {@code all} as written now, durably (one sync) before returning. */
  void touchAll(List<Zone> all) throws IOException {
    synchronized (this) {
      List<Zone> fresh = new ArrayList<>();
      for (Zone z : all) {
        if (zones.put(z, mark) == null) {
          fresh.add(z);
        }
        if (z.zone() >= 0) {
          blocks.forget(z); // a data zone named alone: whole
        }
      }
      if (!fresh.isEmpty()) {
        append(fresh);
      }
    }
  }

  /**
   * A regular file was just created under a name the secondary may give to another file (one
   * removed here while it was away, or whose removal never reached it): what is not written in the
   * new file reads as zeros here — the hole of an ftruncate, a fallocate or a write past its end —
   * and as the other file's bytes there, under the same size and time, and no zone names it. The
   * file is recorded whole, durably, but not now: with the first record that names it, which needs
   * its own sync anyway (the first write into the file or its growth), so that creating a file
   * costs no sync of its own. Until then the file is empty and nothing in it can differ; after a
   * flush the secondary holds it (forgotten in {@link #cool}).
   */
  void created(int dir, long ino) throws IOException {
    Zone whole = new Zone(dir, ino, WHOLE);
    synchronized (this) {
      if (created.size() < CREATED) {
        created.put(whole, mark);
        return;
      }
    }
    touch(whole); // too many files created and never written: their sync now
  }

  /** A file created and named for the first time since: its {@link #WHOLE} zone goes too. */
  private void wholeIfCreated(int dir, long ino, List<Zone> fresh) {
    if (created.isEmpty()) {
      return;
    }
    Zone whole = new Zone(dir, ino, WHOLE);
    if (created.remove(whole) != null && zones.put(whole, mark) == null) {
      fresh.add(whole);
    }
  }

  /**
   * The secondary holds what this primary holds (under the barrier at the end of a reintegration):
   * blocks written from now on are kept ({@link FineZones#inSync}).
   */
  synchronized void inSync() {
    blocks.inSync();
  }

  /** Blocks may have changed unseen (a write with no name): every zone whole until in sync. */
  synchronized void distrustBlocks() {
    blocks.distrustAll();
  }

  /** A file renamed, linked or created: its zones whole until in sync ({@link FineZones}). */
  synchronized void distrustBlocks(int dir, long ino) {
    blocks.distrust(dir, ino);
  }

  /** A name changed (create, unlink, rename …): the next pass compares the trees again. */
  synchronized void namesChanged() {
    namesChanged = true;
  }

  /** Whether names changed since the last call, and forgets it. */
  synchronized boolean takeNamesChanged() {
    boolean n = namesChanged;
    namesChanged = false;
    return n;
  }

  /** A new mark: zones written from now on are newer than every zone written before. */
  synchronized long advance() {
    return mark++;
  }

  /** Zones last written after mark {@code after} and up to mark {@code upTo}. */
  synchronized List<Zone> between(long after, long upTo) {
    List<Zone> out = new ArrayList<>();
    zones.forEach(
        (z, m) -> {
          if (m > after && m <= upTo) {
            out.add(z);
          }
        });
    return out;
  }

  /**
   * Zones last written after mark {@code after} and up to mark {@code upTo}, with the blocks of
   * each written after {@code after} where they are known; also the zones with blocks known that
   * were written again after {@code upTo} (they come again in the next pass, which takes only the
   * blocks written after {@code upTo}).
   */
  synchronized Dirty dirtyBetween(long after, long upTo) {
    List<Zone> out = between(after, upTo);
    // A zone written after `after` and again after `upTo` has its last mark past `upTo`: the next
    // pass takes it, but with the blocks written after `upTo` only. Its blocks go in this pass too.
    zones.forEach(
        (z, m) -> {
          if (m > upTo && blocks.after(z, after) != null) {
            out.add(z);
          }
        });
    Map<Zone, java.util.BitSet> known = new HashMap<>();
    java.util.Set<Zone> whole = new java.util.LinkedHashSet<>();
    for (Zone z : out) {
      java.util.BitSet b = blocks.after(z, after);
      if (b != null) {
        known.put(z, b);
      }
      if (z.zone() >= 0 && blocks.distrusted(z.dir(), z.ino())) {
        // renamed over another file, or new under an old name: the secondary's file under that
        // name is another one, of which the zones written here are not all that differs
        whole.add(new Zone(z.dir(), z.ino(), WHOLE));
      }
    }
    out.addAll(whole);
    return new Dirty(out, known);
  }

  /** Zones with their written blocks known, and the memory they take (status, tests). */
  synchronized long[] fineUsage() {
    return new long[] {blocks.size(), blocks.used()};
  }

  /** How many zones were written after mark {@code after}. */
  synchronized long countAfter(long after) {
    return zones.values().stream().filter(m -> m > after).count();
  }

  synchronized int size() {
    return zones.size();
  }

  synchronized List<Zone> all() {
    return new ArrayList<>(zones.keySet());
  }

  /**
   * The secondary holds, on disk, every zone last written up to mark {@code upTo}: forget them. The
   * file is compacted when it holds much more than what is left.
   */
  void cool(long upTo) throws IOException {
    synchronized (this) {
      zones.values().removeIf(m -> m <= upTo);
      created.values().removeIf(m -> m <= upTo);
      blocks.cool(upTo);
      if (recordsOnDisk > 4096 && recordsOnDisk > 4L * zones.size()) {
        rewrite();
      }
    }
  }

  /** Forgets everything (the secondary is a faithful copy, or this node is one). */
  synchronized void clear() throws IOException {
    zones.clear();
    created.clear();
    blocks.clear();
    rewrite();
  }

  private void append(List<Zone> fresh) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(fresh.size() * RECORD);
    for (Zone z : fresh) {
      b.putInt(z.dir()).putInt(z.zone()).putLong(z.ino());
    }
    b.flip();
    try {
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(false); // before the data it covers
    } catch (IOException e) {
      throw new RecordLost(file, e);
    }
    recordsOnDisk += fresh.size();
  }

  /**
   * The record could not be written or made durable (its disk full, read-only or failing): zones
   * the application changes are no longer known (spec C.7: unrecoverable while the primary runs).
   */
  static final class RecordLost extends IOException {
    private static final long serialVersionUID = 1L;

    RecordLost(Path file, IOException cause) {
      super(
          file
              + ": "
              + (cause.getMessage() == null
                  ? cause.getClass().getSimpleName()
                  : cause.getMessage()),
          cause);
    }
  }

  private void rewrite() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(zones.size() * RECORD);
    for (Zone z : zones.keySet()) {
      b.putInt(z.dir()).putInt(z.zone()).putLong(z.ino());
    }
    if (channel != null) {
      channel.close();
    }
    DurableFiles.write(file, b.array());
    recordsOnDisk = zones.size();
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.position(channel.size());
  }

  /**
   * Closes the file under the record without forgetting it, so that every later record fails as on
   * a disk that failed (tests of an unrecoverable primary, spec C.7).
   */
  synchronized void loseFile() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
