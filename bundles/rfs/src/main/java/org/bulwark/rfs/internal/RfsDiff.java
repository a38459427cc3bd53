package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code safekit rfsdiff} (spec C.12): what the next reintegration would copy, as lines. */
final class RfsDiff {
  private RfsDiff() {}

  /**
   * @param dirty the zones recorded since the last synchronisation
   * @param noSyncPoint the pair has no synchronisation point: the next copy is full
   */
  static List<String> report(
      ZoneLog.Dirty dirty, long zoneSize, boolean noSyncPoint, ExternalSync external) {
    // the record lists a zone each time it was written: each counts once; a file recorded whole
    // is copied whole, its zones with it
    List<ZoneLog.Zone> all = dirty.zones().stream().distinct().toList();
    Set<String> wholeFiles =
        all.stream()
            .filter(z -> z.zone() == ZoneLog.WHOLE)
            .map(RfsDiff::file)
            .collect(Collectors.toSet());
    long files = all.stream().map(RfsDiff::file).distinct().count();
    List<ZoneLog.Zone> zones =
        all.stream().filter(z -> z.zone() >= 0 && !wholeFiles.contains(file(z))).toList();
    long data = zones.size();
    long whole = wholeFiles.size();
    // a zone whose written blocks are known is copied as those blocks only (FineZones)
    long bytes =
        zones.stream()
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
            + (whole > 0 ? " and " + whole + " whole file" + (whole == 1 ? "" : "s") : "")
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

  private static String file(ZoneLog.Zone z) {
    return z.dir() + ":" + z.ino();
  }
}
