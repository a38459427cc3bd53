package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code <rfs>} element of a mirror module (spec B.7). Dynamic: {@code async}, {@code nbrei},
 * {@code reitimeout}, {@code reidetail} and {@code <flow>}; the rest is not.
 *
 * @param acl replicate ACLs (default off)
 * @param async {@code second} (default) or {@code none}
 * @param iotimeout IO timeout (default 300 s)
 * @param roflags Windows read-only flags (default 0x10)
 * @param locktimeout replication request timeout (default 100 s)
 * @param sendtimeout TCP send timeout to the peer (default 30 s)
 * @param nbrei parallel reintegration threads (default 6)
 * @param ruzoneBlocksize zone size of the modification bitmap, bytes (default reipacketsize)
 * @param namespacepolicy 0, 1, 3 or 4 (default 4)
 * @param reitimeout reintegration request timeout (default 150 s)
 * @param reicommit intermediate commit every N packets, 0 = none
 * @param reidetail detailed reintegration log (default off)
 * @param allocthreshold Windows preallocation threshold in GB, 0 = off
 * @param nbremconn TCP connections to the peer (default 1)
 * @param checktime max duration of the local health probe (default 220000 ms)
 * @param checkintv period of the local health probe (default 120 s)
 * @param nfsboxCross follow reparse points ({@code cross}, default) or not
 * @param scripts run the {@code _rfs_*} callbacks (default off)
 * @param reiallowedbw reintegration bandwidth cap in KB/s; empty = unlimited
 * @param syncdelta relaxed start window (implicit unit m, default 0)
 * @param syncat synchronisation schedule, when given
 * @param packetsize max NFS packet, when given
 * @param reipacketsize max reintegration packet (default 8388608)
 * @param mountoversuffix suffix of the renamed replicated directory
 * @param flow the replication lan ({@code <flow name>}), when given
 * @param flowServers legacy syntax (before 7.2): {@code <flow><server addr>} addresses
 * @param replicated the replicated directories, at least one
 */
public record Rfs(
    boolean acl,
    Async async,
    Duration iotimeout,
    String roflags,
    Duration locktimeout,
    Duration sendtimeout,
    int nbrei,
    long ruzoneBlocksize,
    int namespacepolicy,
    Duration reitimeout,
    int reicommit,
    boolean reidetail,
    int allocthreshold,
    int nbremconn,
    Duration checktime,
    Duration checkintv,
    boolean nfsboxCross,
    boolean scripts,
    OptionalLong reiallowedbw,
    Duration syncdelta,
    Optional<String> syncat,
    OptionalLong packetsize,
    long reipacketsize,
    String mountoversuffix,
    Optional<String> flow,
    List<String> flowServers,
    List<Replicated> replicated) {

  public static final long DEFAULT_REIPACKETSIZE = 8388608L;

  public Rfs {
    Objects.requireNonNull(async);
    Objects.requireNonNull(reiallowedbw);
    Objects.requireNonNull(syncat);
    Objects.requireNonNull(packetsize);
    Objects.requireNonNull(flow);
    flowServers = List.copyOf(flowServers);
    replicated = List.copyOf(replicated);
  }

  /** This configuration with its dynamic attributes cleared, to compare the static part. */
  public Rfs withoutDynamic() {
    return new Rfs(
        acl,
        Async.SECOND,
        iotimeout,
        roflags,
        locktimeout,
        sendtimeout,
        0,
        ruzoneBlocksize,
        namespacepolicy,
        Duration.ZERO,
        reicommit,
        false,
        allocthreshold,
        nbremconn,
        checktime,
        checkintv,
        nfsboxCross,
        scripts,
        reiallowedbw,
        syncdelta,
        syncat,
        packetsize,
        reipacketsize,
        mountoversuffix,
        Optional.empty(),
        List.of(),
        replicated);
  }

  /** {@code rfs@async}. */
  public enum Async {
    SECOND,
    NONE
  }

  /**
   * One {@code <replicated>} directory.
   *
   * @param dir absolute path
   * @param readOnly whether the secondary copy is read-only ({@code mode="read_only"})
   * @param tocheck paths that must exist before replication starts
   * @param notreplicated exclusions, in file order
   */
  public record Replicated(
      String dir, boolean readOnly, List<String> tocheck, List<NotReplicated> notreplicated) {
    public Replicated {
      tocheck = List.copyOf(tocheck);
      notreplicated = List.copyOf(notreplicated);
    }
  }

  /**
   * One {@code <notreplicated>}: a relative {@code path}, or a {@code regexpath} (a leading {@code
   * !} inverts it).
   */
  public record NotReplicated(boolean regex, String value) {}
}
