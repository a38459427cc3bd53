package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bulwark.api.fs.Caller;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.fuse.internal.ConfinedTrees;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What the write path records before an operation runs ({@link Tracker#before}), zone by zone and
 * block by block, on a real tree: a cut names what it removes, collapse and insert the whole file,
 * a rename or a new file make the file whole.
 */
public class TrackerRangesTest {
  private static final long ZONE = 1 << 20;
  private static final int BLOCK = FineZones.BLOCK;
  private static final Caller APP = new Caller(1, 0, 0);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private ZoneLog log;
  private Tracker tracker;
  private LocalTree tree;
  private long ino;

  /** A file of five zones and a bit, its tree, the record (in sync) and the tracker over them. */
  @Before
  public void open() throws Exception {
    Path dir = tmp.newFolder("d").toPath();
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
      f.setLength(5 * ZONE + 100);
    }
    ino = (Long) Files.getAttribute(dir.resolve("f"), "unix:ino");
    tree = new ConfinedTrees().open(dir);
    log = ZoneLog.open(tmp.getRoot().toPath().resolve("zones.log"));
    log.inSync();
    tracker = new Tracker(log, List.of(tree), ZONE);
  }

  @After
  public void close() throws Exception {
    if (tree != null) {
      tree.close();
    }
    if (log != null) {
      log.close();
    }
  }

  /** What the record holds from its start up to now. */
  private ZoneLog.Dirty dirty() throws Exception {
    return log.dirtyBetween(-1, log.advance());
  }

  private ZoneLog.Zone zone(int z) {
    return new ZoneLog.Zone(0, ino, z);
  }

  private static BitSet blocks(int from, int to) {
    BitSet b = new BitSet();
    b.set(from, to);
    return b;
  }

  @Test
  public void aCutNamesWhatItRemoves() throws Exception {
    tracker.before(0, new FileOperation.Truncate(APP, "/f", 3 * ZONE + 2 * BLOCK + 1));
    ZoneLog.Dirty d = dirty();
    assertEquals(Set.of(zone(3), zone(4), zone(5), zone(ZoneLog.META)), Set.copyOf(d.zones()));
    // zone 3 from the block holding the new end; 4 whole; 5 up to the old end
    assertEquals(
        Map.of(zone(3), blocks(2, (int) (ZONE / BLOCK)), zone(5), blocks(0, 1)), d.blocks());
  }

  @Test
  public void aGrowthNamesItsNewEndOnly() throws Exception {
    tracker.before(0, new FileOperation.Truncate(APP, "/f", 7 * ZONE));
    ZoneLog.Dirty d = dirty();
    assertEquals(Set.of(zone(7), zone(ZoneLog.META)), Set.copyOf(d.zones()));
  }

  @Test
  public void collapseAndInsertMoveEveryByteAfterThem() throws Exception {
    tracker.before(0, new FileOperation.Fallocate(APP, "/f", 0x08, ZONE, ZONE));
    ZoneLog.Dirty d = dirty();
    assertEquals(List.of(zone(ZoneLog.WHOLE)), d.zones());
  }

  @Test
  public void aWriteAndAPunchNameTheirBlocks() throws Exception {
    tracker.before(
        0, new FileOperation.Write(APP, "/f", ZONE + 10, ByteBuffer.allocate(2 * BLOCK)));
    tracker.before(0, new FileOperation.Fallocate(APP, "/f", 0x03, 2 * ZONE, BLOCK));
    ZoneLog.Dirty d = dirty();
    assertEquals(Map.of(zone(1), blocks(0, 3), zone(2), blocks(0, 1)), d.blocks());
  }

  @Test
  public void aFileCreatedIsWholeUntilInSync() throws Exception {
    tracker.before(0, new FileOperation.Write(APP, "/f", 0, ByteBuffer.allocate(BLOCK)));
    // a name given: the secondary may hold another file under it, the blocks written are not all
    // that differs
    tracker.after(0, new FileOperation.Create(APP, "/f", 0644, 0));
    ZoneLog.Dirty d = dirty();
    assertTrue(d.zones().toString(), d.zones().contains(zone(ZoneLog.WHOLE)));
    log.inSync();
    d = dirty();
    assertEquals(List.of(zone(0)), d.zones());
  }

  /**
   * A file created may take a name the secondary gives to another file of the same size and time:
   * what the new file does not write (the hole of a growth) reads as zeros here and as the other
   * file's bytes there. Recorded whole, durably, with the first record that names it (no sync of
   * its own), so that a restart of the primary keeps it; forgotten once a flush made the file
   * durable there.
   */
  @Test
  public void aFileCreatedIsRecordedWholeWithItsFirstRecord() throws Exception {
    Path record = tmp.getRoot().toPath().resolve("zones.log");
    tracker.after(0, new FileOperation.Create(APP, "/f", 0644, 0));
    assertEquals("nothing written for the creation alone", 0, Files.size(record));
    tracker.before(0, new FileOperation.Write(APP, "/f", 2 * ZONE, ByteBuffer.allocate(BLOCK)));
    log.close();
    log = ZoneLog.open(record);
    assertEquals("on disk", Set.of(zone(ZoneLog.WHOLE), zone(2)), Set.copyOf(log.all()));

    log.clear();
    tracker = new Tracker(log, List.of(tree), ZONE);
    tracker.after(0, new FileOperation.Create(APP, "/f", 0644, 0));
    log.cool(log.advance());
    tracker.before(0, new FileOperation.Write(APP, "/f", 0, ByteBuffer.allocate(BLOCK)));
    assertEquals("after a flush", List.of(zone(0)), log.all());
  }

  /** Files created and never written wait in memory up to a bound; past it, each syncs at once. */
  @Test
  public void filesCreatedPastTheBoundAreRecordedAtOnce() throws Exception {
    for (int i = 0; i < ZoneLog.CREATED; i++) {
      log.created(0, 1_000_000 + i);
    }
    assertEquals(List.of(), log.all());
    log.created(0, ino);
    assertEquals(List.of(zone(ZoneLog.WHOLE)), log.all());
  }

  /**
   * Whatever the secondary's state: away, the rename reaches it only when a pass compares the
   * trees; synchronous, it may never be applied there (the session ends first), and the secondary
   * keeps under the new name the file it held.
   */
  @Test
  public void aFileRenamedOrLinkedIsRecordedWholeDurablyBeforeTheChangeRuns() throws Exception {
    long before = log.advance();
    tracker.before(0, new FileOperation.Rename(APP, "/f", "/g", 0));
    long upTo = log.advance();
    // no zone written: the file counts whole at the rename's mark, for the next pass
    assertEquals(List.of(zone(ZoneLog.WHOLE)), log.dirtyBetween(before, upTo).zones());
    log.close();
    log = ZoneLog.open(tmp.getRoot().toPath().resolve("zones.log"));
    assertEquals("on disk", List.of(zone(ZoneLog.WHOLE)), log.all());
    tracker = new Tracker(log, List.of(tree), ZONE);
    log.clear();
    tracker.before(0, new FileOperation.Link(APP, "/f", "/h"));
    assertEquals("a hard link", List.of(zone(ZoneLog.WHOLE)), log.all());
  }
}
