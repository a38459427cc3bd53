package org.bulwark.rfs.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What may differ on the secondary for one reintegration pass, named by path (spec C.4): per file,
 * the zones of {@code ruzone_blocksize} bytes (and, where known, the blocks written in them),
 * whether the whole file, whether its attributes. Built from the {@link ZoneLog} by {@link
 * Tracker#snapshot}; read by {@link Plan}.
 */
final class Dirt {
  private Dirt() {}

  /**
   * A file's dirty zones; {@code all}: the whole file; {@code blocks}: for the zones whose written
   * blocks are known ({@link FineZones}), those blocks; other dirty zones are whole.
   */
  record Zones(BitSet zones, boolean all, boolean meta, Map<Integer, BitSet> blocks) {
    Zones(BitSet zones, boolean all, boolean meta) {
      this(zones, all, meta, Map.of());
    }
  }

  static String key(int dir, String path) {
    return dir + ":" + path;
  }

  /**
   * A set of dirty files; {@code whole}: files to copy whole, and directories whose every file
   * beneath is ({@link Plan#inWholeTrees}); {@code blocks}: by file, by zone, the blocks written
   * where they are known.
   */
  record Snapshot(
      Map<String, BitSet> zones,
      Set<String> whole,
      Set<String> meta,
      boolean names,
      Map<String, Map<Integer, BitSet>> blocks) {

    static final Snapshot EMPTY = new Snapshot(Map.of(), Set.of(), Set.of(), false);

    Snapshot(Map<String, BitSet> zones, Set<String> whole, Set<String> meta, boolean names) {
      this(zones, whole, meta, names, Map.of());
    }

    Zones of(int dir, String path) {
      String k = key(dir, path);
      BitSet z = zones.get(k);
      if (z == null && !whole.contains(k) && !meta.contains(k)) {
        return null;
      }
      return new Zones(
          z == null ? new BitSet() : z,
          whole.contains(k),
          meta.contains(k),
          blocks.getOrDefault(k, Map.of()));
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

    /**
     * Both sets: a zone dirty in both has known blocks only if it has in both (their union), else
     * it is whole.
     */
    Snapshot merge(Snapshot b) {
      Map<String, BitSet> z = new HashMap<>();
      zones.forEach((k, v) -> z.computeIfAbsent(k, x -> new BitSet()).or(v));
      b.zones.forEach((k, v) -> z.computeIfAbsent(k, x -> new BitSet()).or(v));
      Map<String, Map<Integer, BitSet>> known = new HashMap<>();
      z.forEach(
          (k, all) -> {
            Map<Integer, BitSet> mine = blocks.getOrDefault(k, Map.of());
            Map<Integer, BitSet> its = b.blocks.getOrDefault(k, Map.of());
            Map<Integer, BitSet> out = new HashMap<>();
            for (int i = all.nextSetBit(0); i >= 0; i = all.nextSetBit(i + 1)) {
              boolean inMine = zones.containsKey(k) && zones.get(k).get(i);
              boolean inIts = b.zones.containsKey(k) && b.zones.get(k).get(i);
              BitSet m = mine.get(i);
              BitSet t = its.get(i);
              if ((inMine && m == null) || (inIts && t == null)) {
                continue; // whole in one of them
              }
              BitSet u = new BitSet();
              if (m != null) {
                u.or(m);
              }
              if (t != null) {
                u.or(t);
              }
              out.put(i, u);
            }
            if (!out.isEmpty()) {
              known.put(k, out);
            }
          });
      Set<String> w = new HashSet<>(whole);
      w.addAll(b.whole);
      Set<String> m = new HashSet<>(meta);
      m.addAll(b.meta);
      return new Snapshot(z, w, m, names || b.names, known);
    }
  }
}
