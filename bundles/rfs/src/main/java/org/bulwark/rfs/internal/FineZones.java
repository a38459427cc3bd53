package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which {@link #BLOCK}-byte blocks of each dirty zone were written, kept in memory only, next to
 * the durable coarse record ({@link ZoneLog}): with them, the reintegration of a secondary that was
 * away while this primary kept running sends the blocks written, not their whole zones (a 4 KiB
 * write in each 8 MiB zone no longer costs 8 MiB).
 *
 * <p>They are trusted only when known complete, so a zone has blocks here only if every write into
 * it since it entered the record went through this object: zones loaded from disk after a restart
 * of the primary (crash or not) have none and are copied whole, as are zones beyond the memory
 * budget ({@link #BUDGET}): a zone without blocks is whole, never clean. Not for the durable
 * record: blocks there would put an fdatasync before many more writes while ALONE.
 *
 * <p>Each zone's blocks are kept by generation — the marks of {@link ZoneLog} — so that a
 * reintegration pass taking the zones written since mark {@code m} sends only the blocks written
 * since {@code m}, and a flush forgets the generations the secondary holds durably. Generations may
 * be merged into the newest one (its mark kept): a superset, never fewer blocks. Not thread-safe:
 * used under the {@link ZoneLog}'s lock, in the same step as the marks.
 */
final class FineZones {
  /** The grain of the fine ranges: a page, the unit of most writes. */
  static final int BLOCK = 4096;

  /**
   * The memory the blocks of one module may take (bitmaps and their bookkeeping): 4 MiB, i.e. about
   * 14,000 zone generations, 110 GiB of written 8 MiB zones. Past it, new zones are whole.
   */
  static final long BUDGET = 4L << 20;

  /** Generations kept per zone; more are merged into the newest. */
  static final int GENERATIONS = 4;

  /** What one generation costs beyond its bitmap (arrays, map entry), roughly. */
  private static final int OVERHEAD = 48;

  private final long budget;
  private final Map<ZoneLog.Zone, Generations> zones = new HashMap<>();

  /** Files renamed, linked or created while blocks are kept: more, and every zone is whole. */
  static final int DISTRUSTED = 65_536;

  private long zoneSize;
  private long used;
  private boolean enabled;
  private final java.util.Set<File> distrusted = new java.util.HashSet<>();

  /** A file, by identity. */
  private record File(int dir, long ino) {}

  FineZones(long budget) {
    this.budget = budget;
  }

  /** A zone's bitmap in bytes. */
  static long bitmapBytes(long zoneSize) {
    return (blocksPerZone(zoneSize) + 63) / 64 * 8;
  }

  private static int blocksPerZone(long zoneSize) {
    return (int) ((zoneSize + BLOCK - 1) / BLOCK);
  }

  private long cost() {
    return bitmapBytes(zoneSize) + OVERHEAD;
  }

  /** The blocks of one zone, by generation: {@code bits[i]} written up to mark {@code marks[i]}. */
  private static final class Generations {
    final List<Long> marks = new ArrayList<>(1);
    final List<BitSet> bits = new ArrayList<>(1);
  }

  /**
   * {@code [from, to)} of zone {@code z} is written at mark {@code mark}. {@code fresh}: the zone
   * just entered the record (it had no write since the secondary was last known to hold it); else
   * it only gains blocks if it has some already (a zone without is whole and stays so).
   */
  void written(ZoneLog.Zone z, boolean fresh, long from, long to, long mark, long zoneSize) {
    if (this.zoneSize != zoneSize) {
      if (this.zoneSize != 0) {
        clear(); // another zone size: what is kept no longer describes zones
      }
      this.zoneSize = zoneSize;
    }
    if (z.zone() < 0 || z.zone() > Tracker.MAX_ZONE || zoneSize > Integer.MAX_VALUE) {
      return;
    }
    long start = z.zone() * zoneSize;
    int first = (int) ((from - start) / BLOCK);
    int last = (int) ((to - 1 - start) / BLOCK);
    Generations g = zones.get(z);
    if (!enabled || distrusted.contains(new File(z.dir(), z.ino()))) {
      forget(z); // not followed: whole, now and until the secondary holds it
      return;
    }
    if (fresh) {
      if (g != null) {
        forget(z); // left over (should not be): start again
      }
      if ((first == 0 && last == blocksPerZone(zoneSize) - 1) || used + cost() > budget) {
        return; // written whole, or no room: the whole zone
      }
      g = new Generations();
      zones.put(z, g);
    } else if (g == null) {
      return;
    }
    int n = g.marks.size();
    if (n > 0 && g.marks.get(n - 1) == mark) {
      g.bits.get(n - 1).set(first, last + 1);
    } else if (n == 0 || (n < GENERATIONS && used + cost() <= budget)) {
      BitSet b = new BitSet(blocksPerZone(zoneSize));
      b.set(first, last + 1);
      g.marks.add(mark);
      g.bits.add(b);
      used += cost();
    } else {
      // no room for another generation: the newest takes these blocks and this mark (a superset
      // for every pass that would have taken it)
      g.bits.get(n - 1).set(first, last + 1);
      g.marks.set(n - 1, mark);
    }
  }

  /**
   * The blocks of zone {@code z} written after mark {@code after}, or null if it has none kept (the
   * whole zone).
   */
  BitSet after(ZoneLog.Zone z, long after) {
    Generations g = zones.get(z);
    if (g == null || !enabled || distrusted.contains(new File(z.dir(), z.ino()))) {
      return null;
    }
    BitSet out = new BitSet();
    for (int i = 0; i < g.marks.size(); i++) {
      if (g.marks.get(i) > after) {
        out.or(g.bits.get(i));
      }
    }
    return out;
  }

  /** The secondary holds durably what was written up to mark {@code upTo}. */
  void cool(long upTo) {
    zones
        .values()
        .removeIf(
            g -> {
              for (int i = g.marks.size() - 1; i >= 0; i--) {
                if (g.marks.get(i) <= upTo) {
                  g.marks.remove(i);
                  g.bits.remove(i);
                  used -= cost();
                }
              }
              return g.marks.isEmpty();
            });
  }

  /** The zone is whole from now on (or gone from the record). */
  void forget(ZoneLog.Zone z) {
    Generations g = zones.remove(z);
    if (g != null) {
      used -= g.marks.size() * cost();
    }
  }

  /** Every zone is whole from now on: blocks may have been written that were not seen. */
  void clear() {
    zones.clear();
    used = 0;
  }

  /**
   * The secondary holds what the primary holds, under the same names (the end of a reintegration,
   * under its barrier): from now on the blocks written are every difference, zone by zone. Until
   * the first time, no block is kept: what happened before this primary started is not known.
   */
  void inSync() {
    enabled = true;
    distrusted.clear();
  }

  /**
   * Every zone is whole until the next {@link #inSync}: something may have changed that was not
   * seen block by block.
   */
  void distrustAll() {
    clear();
    distrusted.clear();
    enabled = false;
  }

  /**
   * The zones of this file are whole until the next {@link #inSync}: it has a new name, or is new
   * under an old one, and the secondary may hold another file under that name, whose blocks all
   * differ.
   */
  void distrust(int dir, long ino) {
    if (!enabled) {
      return;
    }
    if (distrusted.size() >= DISTRUSTED) {
      distrustAll();
    } else {
      distrusted.add(new File(dir, ino));
    }
  }

  /** Whether the file's zones are whole until the next {@link #inSync} ({@link #distrust}). */
  boolean distrusted(int dir, long ino) {
    return distrusted.contains(new File(dir, ino));
  }

  /** Memory taken, in bytes (for the budget). */
  long used() {
    return used;
  }

  /** Zones with blocks kept. */
  int size() {
    return zones.size();
  }
}
