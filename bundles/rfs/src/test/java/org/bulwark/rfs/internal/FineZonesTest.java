package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The written blocks kept next to the durable zones ({@link FineZones} in {@link ZoneLog}): exact
 * for the marks of the reintegration passes, whole beyond the budget and after a restart, merged
 * with the secondary's zones, and turned into the byte ranges a copy reads.
 */
public class FineZonesTest {
  private static final long ZONE = 8L << 20;
  private static final int BLOCK = FineZones.BLOCK;

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** The record of a primary whose secondary was found in sync (blocks are kept from then on). */
  private ZoneLog open(long budget) throws Exception {
    ZoneLog log = started(budget);
    log.inSync();
    return log;
  }

  /** The record as a primary opens it when it starts. */
  private ZoneLog started(long budget) throws Exception {
    return ZoneLog.open(tmp.getRoot().toPath().resolve("zones.log"), budget);
  }

  private static ZoneLog.Zone zone(int z) {
    return new ZoneLog.Zone(0, 42, z);
  }

  private static BitSet bits(int... set) {
    BitSet b = new BitSet();
    for (int i : set) {
      b.set(i);
    }
    return b;
  }

  @Test
  public void theBlocksWrittenInAZoneAreKeptExactly() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      log.touch(0, 42, 3 * BLOCK, BLOCK, ZONE); // block 3 of zone 0
      log.touch(0, 42, 10 * BLOCK + 100, BLOCK, ZONE); // across blocks 10 and 11
      log.touch(0, 42, ZONE + 5, 1, ZONE); // block 0 of zone 1
      log.touch(0, 42, ZONE - 10, 20, ZONE); // the last block of zone 0, the first of zone 1
      long mark = log.advance();
      ZoneLog.Dirty d = log.dirtyBetween(-1, mark);
      assertEquals(Set.of(zone(0), zone(1)), Set.copyOf(d.zones()));
      assertEquals(bits(3, 10, 11, 2047), d.blocks().get(zone(0)));
      assertEquals(bits(0), d.blocks().get(zone(1)));
    }
  }

  /** Marks: a pass takes the blocks written since the previous one, not those sent before. */
  @Test
  public void aBlockWrittenDuringAPassGoesInTheNextPassAlone() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      log.touch(0, 42, 0, BLOCK, ZONE);
      long first = log.advance(); // pass 1 takes block 0
      assertEquals(bits(0), log.dirtyBetween(-1, first).blocks().get(zone(0)));
      log.touch(0, 42, 7 * BLOCK, BLOCK, ZONE); // written while pass 1 copies the zone
      long second = log.advance();
      ZoneLog.Dirty next = log.dirtyBetween(first, second);
      assertEquals(List.of(zone(0)), next.zones());
      assertEquals(bits(7), next.blocks().get(zone(0)));
      // written after the second pass's mark, before that pass reads its zones: the zone's last
      // mark is now past the pass's, and the third pass takes only block 9; so the second pass
      // takes the zone anyway, with block 7 (lost otherwise: the racing test in
      // FineZoneReintegrationTest), and block 9 in the bargain
      log.touch(0, 42, 9 * BLOCK, BLOCK, ZONE);
      ZoneLog.Dirty late = log.dirtyBetween(first, second);
      assertEquals(List.of(zone(0)), late.zones());
      assertEquals(bits(7, 9), late.blocks().get(zone(0)));
      long third = log.advance();
      assertEquals(bits(9), log.dirtyBetween(second, third).blocks().get(zone(0)));
      // a flush up to the second mark: blocks 0 and 7 are on the secondary's disk
      log.cool(second);
      assertEquals(bits(9), log.dirtyBetween(-1, third).blocks().get(zone(0)));
      log.cool(third);
      assertEquals(0, log.size());
      assertEquals(0, log.fineUsage()[1]);
    }
  }

  @Test
  public void generationsBeyondTheirNumberMergeIntoTheNewest() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      long[] marks = new long[FineZones.GENERATIONS + 3];
      for (int i = 0; i < marks.length; i++) {
        log.touch(0, 42, i * BLOCK, BLOCK, ZONE);
        marks[i] = log.advance();
      }
      // whichever pass: at least the blocks written since its mark
      for (int i = 0; i < marks.length; i++) {
        long after = i == 0 ? -1 : marks[i - 1];
        BitSet got = log.dirtyBetween(after, marks[marks.length - 1]).blocks().get(zone(0));
        for (int j = i; j < marks.length; j++) {
          assertTrue("pass after " + after + " lacks block " + j + ": " + got, got.get(j));
        }
      }
      assertTrue(log.fineUsage()[1] <= FineZones.GENERATIONS * (FineZones.bitmapBytes(ZONE) + 64));
    }
  }

  @Test
  public void beyondTheBudgetNewZonesAreWholeNeverClean() throws Exception {
    try (ZoneLog log = open(2 * FineZones.bitmapBytes(ZONE) + 200)) {
      for (int z = 0; z < 5; z++) {
        log.touch(0, 42, z * ZONE + BLOCK, 1, ZONE);
      }
      ZoneLog.Dirty d = log.dirtyBetween(-1, log.advance());
      assertEquals(5, d.zones().size());
      assertEquals(Set.of(zone(0), zone(1)), d.blocks().keySet());
      // a zone without blocks stays whole when written again
      log.touch(0, 42, 4 * ZONE + 9 * BLOCK, 1, ZONE);
      assertNull(log.dirtyBetween(-1, log.advance()).blocks().get(zone(4)));
    }
  }

  @Test
  public void aZoneWrittenWholeNeedsNoBlocks() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      log.touch(0, 42, 0, 3 * ZONE, ZONE);
      assertEquals(3, log.dirtyBetween(-1, log.advance()).zones().size());
      assertEquals(0, log.fineUsage()[0]);
    }
  }

  @Test
  public void afterARestartEveryZoneIsWholeUntilTheSecondaryIsInSync() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      log.touch(0, 42, BLOCK, 1, ZONE);
    }
    try (ZoneLog log = started(FineZones.BUDGET)) {
      log.touch(0, 42, 2 * BLOCK, 1, ZONE); // in a zone of the record on disk
      log.touch(0, 42, ZONE, 1, ZONE); // a new zone, but what happened while stopped is not known
      ZoneLog.Dirty d = log.dirtyBetween(-1, log.advance());
      assertEquals(Set.of(zone(0), zone(1)), Set.copyOf(d.zones()));
      assertEquals(Map.of(), d.blocks());
      log.inSync(); // a reintegration ended
      log.touch(0, 42, 3 * BLOCK, 1, ZONE); // whole: recorded before, not cooled yet
      log.touch(0, 42, 2 * ZONE + BLOCK, 1, ZONE); // a new zone since: its blocks
      d = log.dirtyBetween(-1, log.advance());
      assertEquals(Set.of(zone(0), zone(1), zone(2)), Set.copyOf(d.zones()));
      assertEquals(Map.of(zone(2), bits(1)), d.blocks());
    }
  }

  /** Renamed, linked or created: the secondary may hold another file under that name. */
  @Test
  public void aFileWithANewNameIsWholeUntilInSync() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      log.touch(0, 42, BLOCK, 1, ZONE);
      log.touch(0, 43, BLOCK, 1, ZONE);
      log.distrustBlocks(0, 42);
      log.touch(0, 42, ZONE, 1, ZONE);
      ZoneLog.Dirty d = log.dirtyBetween(-1, log.advance());
      // and the whole file: the secondary's file under its new name is another one
      assertEquals(
          Set.of(zone(0), zone(1), zone(ZoneLog.WHOLE), new ZoneLog.Zone(0, 43, 0)),
          Set.copyOf(d.zones()));
      assertEquals(Map.of(new ZoneLog.Zone(0, 43, 0), bits(1)), d.blocks());
      log.inSync(); // the secondary holds the file under its new name
      log.touch(0, 42, 2 * ZONE, 1, ZONE);
      d = log.dirtyBetween(-1, log.advance());
      // zone 0's blocks, from before the rename, are still a superset of what differs since; zone
      // 1 was written while they were not followed: whole until the secondary holds it
      assertEquals(
          Map.of(new ZoneLog.Zone(0, 43, 0), bits(1), zone(0), bits(1), zone(2), bits(0)),
          d.blocks());
    }
  }

  @Test
  public void aWriteWithNoNameMakesEveryZoneWholeUntilTrustedAgain() throws Exception {
    try (ZoneLog log = open(FineZones.BUDGET)) {
      log.touch(0, 42, BLOCK, 1, ZONE);
      log.distrustBlocks();
      log.touch(0, 42, ZONE, 1, ZONE);
      assertEquals(Map.of(), log.dirtyBetween(-1, log.advance()).blocks());
      log.inSync();
      log.touch(0, 42, 2 * ZONE, 1, ZONE);
      assertEquals(Set.of(zone(2)), log.dirtyBetween(-1, log.advance()).blocks().keySet());
    }
  }

  @Test
  public void aZoneWholeOnEitherSideIsWholeWhenMerged() {
    Dirt.Snapshot ours =
        new Dirt.Snapshot(
            Map.of("0:/f", bits(0, 1, 2)),
            Set.of(),
            Set.of(),
            false,
            Map.of("0:/f", Map.of(0, bits(5), 1, bits(6))));
    Dirt.Snapshot theirs =
        new Dirt.Snapshot(
            Map.of("0:/f", bits(1, 3)), Set.of(), Set.of(), false, Map.of("0:/f", Map.of()));
    Dirt.Zones z = ours.merge(theirs).of(0, "/f");
    assertEquals(bits(0, 1, 2, 3), z.zones());
    assertEquals(Map.of(0, bits(5)), z.blocks()); // 1 whole in theirs, 2 in ours, 3 in theirs
    Dirt.Snapshot both =
        new Dirt.Snapshot(
            Map.of("0:/f", bits(0)), Set.of(), Set.of(), false, Map.of("0:/f", Map.of(0, bits(9))));
    // zone 0 known on both sides: the union; 1 only in ours; 2 whole in ours
    assertEquals(Map.of(0, bits(5, 9), 1, bits(6)), ours.merge(both).of(0, "/f").blocks());
  }

  @Test
  public void aCopyReadsTheRunsOfBlocksUpToTheSize() {
    Plan.Copy c =
        new Plan.Copy(0, "/f", bits(0, 2, 3), false, Map.of(0, bits(1, 2, 3, 7), 3, bits(0)), -1);
    long size = 3 * ZONE + 100;
    List<String> got = CopyRanges.ranges(c, ZONE, size).stream().map(Arrays::toString).toList();
    assertEquals(
        List.of(
            "[" + BLOCK + ", " + 4 * BLOCK + "]",
            "[" + 7 * BLOCK + ", " + 8 * BLOCK + "]",
            "[" + 2 * ZONE + ", " + 3 * ZONE + "]",
            "[" + 3 * ZONE + ", " + size + "]"),
        got);
  }
}
