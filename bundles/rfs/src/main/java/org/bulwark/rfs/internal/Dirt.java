package org.bulwark.rfs.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What may differ on the secondary and must be sent at the next reintegration pass (spec C.4): per
 * file, the zones of {@code ruzone_blocksize} bytes written and whether its attributes changed; and
 * whether any name changed (then the trees are compared again). Thread-safe; {@link #take} hands
 * the current set to a pass and starts a new one.
 */
final class Dirt {
  /** A file's dirty zones; {@code all}: the whole file. */
  record Zones(BitSet zones, boolean all, boolean meta) {}

  private final long zoneSize;

  // guarded by this
  private Map<String, BitSet> zones = new HashMap<>();
  private Set<String> whole = new HashSet<>();
  private Set<String> meta = new HashSet<>();
  private boolean names;

  Dirt(long zoneSize) {
    this.zoneSize = zoneSize;
  }

  long zoneSize() {
    return zoneSize;
  }

  static String key(int dir, String path) {
    return dir + ":" + path;
  }

  synchronized void data(int dir, String path, long offset, long length) {
    if (length <= 0) {
      meta.add(key(dir, path));
      return;
    }
    long first = offset / zoneSize;
    long last = (offset + length - 1) / zoneSize;
    if (last > Integer.MAX_VALUE - 1) {
      whole.add(key(dir, path));
      return;
    }
    zones.computeIfAbsent(key(dir, path), k -> new BitSet()).set((int) first, (int) last + 1);
  }

  synchronized void whole(int dir, String path) {
    whole.add(key(dir, path));
  }

  synchronized void meta(int dir, String path) {
    meta.add(key(dir, path));
  }

  synchronized void names() {
    names = true;
  }

  synchronized boolean isEmpty() {
    return zones.isEmpty() && whole.isEmpty() && meta.isEmpty() && !names;
  }

  /** What is dirty now; the tracker starts empty again. */
  synchronized Snapshot take() {
    Snapshot s = new Snapshot(zones, whole, meta, names);
    zones = new HashMap<>();
    whole = new HashSet<>();
    meta = new HashSet<>();
    names = false;
    return s;
  }

  /** Puts back a snapshot whose pass did not complete. */
  synchronized void restore(Snapshot s) {
    s.zones.forEach((k, z) -> zones.computeIfAbsent(k, x -> new BitSet()).or(z));
    whole.addAll(s.whole);
    meta.addAll(s.meta);
    names |= s.names;
  }

  /** A taken set of dirty files. */
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
