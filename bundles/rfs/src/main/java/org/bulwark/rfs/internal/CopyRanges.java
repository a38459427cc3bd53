package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What a reintegration's copy of a file reads ({@link Plan.Copy}): the whole file, or its dirty
 * zones, and of a zone whose written blocks are known ({@link FineZones}), only those blocks.
 */
final class CopyRanges {
  private CopyRanges() {}

  /**
   * What a copy reads, in file order, up to {@code size}: the whole file, or its dirty zones — of a
   * zone whose written blocks are known, only the runs of those blocks.
   */
  static List<long[]> ranges(Plan.Copy c, long zone, long size) {
    List<long[]> ranges = new ArrayList<>();
    if (c.zones() == null) {
      ranges.add(new long[] {0, size});
      return ranges;
    }
    BitSet z = c.zones();
    for (int i = z.nextSetBit(0); i >= 0; i = z.nextSetBit(i + 1)) {
      long start = i * zone;
      long end = Math.min(start + zone, size);
      BitSet blocks = c.blocks().get(i);
      if (blocks == null) {
        if (start < end) {
          ranges.add(new long[] {start, end});
        }
        continue;
      }
      for (int b = blocks.nextSetBit(0); b >= 0; b = blocks.nextSetBit(b + 1)) {
        int run = blocks.nextClearBit(b);
        long from = start + (long) b * FineZones.BLOCK;
        long to = Math.min(start + (long) run * FineZones.BLOCK, end);
        if (from < to) {
          ranges.add(new long[] {from, to});
        }
        b = run;
      }
    }
    return ranges;
  }

  /** The most a zone copy reads: whole zones ({@code zone} bytes each), or the blocks known. */
  static long zoneBytes(Plan.Copy c, long zone) {
    long out = 0;
    BitSet z = c.zones();
    for (int i = z.nextSetBit(0); i >= 0; i = z.nextSetBit(i + 1)) {
      BitSet blocks = c.blocks().get(i);
      out += blocks == null ? zone : (long) blocks.cardinality() * FineZones.BLOCK;
    }
    return out;
  }
}
