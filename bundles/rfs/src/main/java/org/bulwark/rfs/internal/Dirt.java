package org.bulwark.rfs.internal;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What may differ on the secondary for one reintegration pass, named by path (spec C.4): per file,
 * the zones of {@code ruzone_blocksize} bytes, whether the whole file, whether its attributes.
 * Built from the {@link ZoneLog} by {@link Tracker#snapshot}; read by {@link Plan}.
 */
final class Dirt {
  private Dirt() {}

  /** A file's dirty zones; {@code all}: the whole file. */
  record Zones(BitSet zones, boolean all, boolean meta) {}

  static String key(int dir, String path) {
    return dir + ":" + path;
  }

  /** A set of dirty files. */
  record Snapshot(Map<String, BitSet> zones, Set<String> whole, Set<String> meta, boolean names) {

    static final Snapshot EMPTY = new Snapshot(Map.of(), Set.of(), Set.of(), false);

    Zones of(int dir, String path) {
      String k = key(dir, path);
      BitSet z = zones.get(k);
      if (z == null && !whole.contains(k) && !meta.contains(k)) {
        return null;
      }
      return new Zones(z == null ? new BitSet() : z, whole.contains(k), meta.contains(k));
    }

    int files() {
      Set<String> all = new HashSet<>(zones.keySet());
      all.addAll(whole);
      all.addAll(meta);
      return all.size();
    }

    long zoneCount() {
      return zones.values().stream().mapToLong(BitSet::cardinality).sum() + whole.size();
    }
  }
}
