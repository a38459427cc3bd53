package org.bulwark.automaton;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.bulwark.api.rfs.SyncSchedule;

/**
 * The {@code <rfs>} attributes that change the mirror automaton's decisions (spec B.7): the relaxed
 * start window {@code syncdelta} (spec C.6) and the scheduled synchronisation {@code syncat} (spec
 * C.12).
 *
 * @param syncdeltaMillis a node whose data are consistent and were synchronised less than this ago
 *     may take them as up to date when its peer is not heard ({@code rfs_forceuptodate}); 0 = off
 * @param syncat when the secondary synchronises; empty = always (the default)
 * @param zone the local time zone the schedule is read in
 */
public record ReplicationPolicy(long syncdeltaMillis, Optional<SyncSchedule> syncat, ZoneId zone) {

  /** No syncdelta, no syncat: the defaults of spec B.7. */
  public static final ReplicationPolicy NONE =
      new ReplicationPolicy(0, Optional.empty(), ZoneOffset.UTC);

  /** syncdelta values up to this are ignored (spec B.7: "≤1 ignored"). */
  public static final Duration SYNCDELTA_THRESHOLD = Duration.ofMinutes(1);

  public ReplicationPolicy {
    Objects.requireNonNull(syncat, "syncat");
    Objects.requireNonNull(zone, "zone");
    if (syncdeltaMillis < 0) {
      throw new IllegalArgumentException("syncdelta must be >= 0");
    }
  }

  /**
   * From the configuration: a {@code syncdelta} of one minute or less is ignored (spec B.7, C.6),
   * and {@code syncat} was checked when the configuration was parsed.
   *
   * @throws IllegalArgumentException if {@code syncat} is not a cron schedule
   */
  public static ReplicationPolicy of(Duration syncdelta, Optional<String> syncat, ZoneId zone) {
    long window = syncdelta.compareTo(SYNCDELTA_THRESHOLD) > 0 ? syncdelta.toMillis() : 0;
    return new ReplicationPolicy(window, syncat.map(SyncSchedule::parse), zone);
  }

  /** Whether {@code rfs.synced} and {@code rfs_forceuptodate} are active (spec C.6). */
  public boolean syncdelta() {
    return syncdeltaMillis > 0;
  }
}
