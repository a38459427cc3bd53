package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** {@code safekit rfsdiff} (spec C.12): what the next reintegration would copy, as lines. */
final class RfsDiff {
  private RfsDiff() {}

  /**
   * @param dirty the zones recorded since the last synchronisation
   * @param noSyncPoint the pair has no synchronisation point: the next copy is full
   */
  static List<String> report(
      ZoneLog.Dirty dirty, long zoneSize, boolean noSyncPoint, ExternalSync external) {
    List<ZoneLog.Zone> all = dirty.zones();
    long files = all.stream().map(z -> z.dir() + ":" + z.ino()).distinct().count();
    long data = all.stream().filter(z -> z.zone() >= 0).count();
    long whole = all.stream().filter(z -> z.zone() == ZoneLog.WHOLE).count();
    // a zone whose written blocks are known is copied as those blocks only (FineZones)
    long bytes =
        all.stream()
            .filter(z -> z.zone() >= 0)
            .mapToLong(
                z -> {
                  BitSet b = dirty.blocks().get(z);
                  return b == null
                      ? zoneSize
                      : Math.min(zoneSize, b.cardinality() * (long) FineZones.BLOCK);
                })
            .sum();
    List<String> out = new ArrayList<>();
    if (noSyncPoint) {
      out.add(
          "no synchronisation point with a secondary: the next reintegration copies everything");
    }
    out.add(
        files
            + " files changed since the last synchronisation: "
            + data
            + " zones of "
            + zoneSize / 1024
            + " KB"
            + (whole > 0 ? " and " + whole + " whole files" : "")
            + ", at most "
            + bytes / 1024
            + " KB to copy"
            + (whole > 0 ? " plus the whole files" : ""));
    RfssyncPolicy p = external.policy();
    if (p.external() && p.role() == RfssyncPolicy.Role.PRIM) {
      out.add(
          "external synchronization "
              + p.uid()
              + ": "
              + external.epochZones().size()
              + " zones recorded since the mark (what a secondary restored from the backup gets)");
    }
    return out;
  }
}
