package org.bulwark.rfs.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bulwark.api.config.Rfs;

/** {@code <rfs>} elements for tests, with the schema's defaults. */
final class TestRfs {
  private TestRfs() {}

  static Rfs of(List<String> dirs, Rfs.Async async) {
    return of(dirs, async, 8388608L);
  }

  /** With zones of {@code zone} bytes. */
  static Rfs of(List<String> dirs, Rfs.Async async, long zone) {
    return with(dirs, async, Duration.ofSeconds(100), Duration.ofSeconds(30), zone);
  }

  static Rfs with(
      List<String> dirs, Rfs.Async async, Duration lockTimeout, Duration sendTimeout, long zone) {
    List<Rfs.Replicated> replicated =
        dirs.stream().map(d -> new Rfs.Replicated(d, false, List.of(), List.of())).toList();
    return new Rfs(
        false,
        async,
        Duration.ofSeconds(300),
        "0x10",
        lockTimeout,
        sendTimeout,
        6,
        zone,
        4,
        Duration.ofSeconds(150),
        0,
        false,
        0,
        1,
        Duration.ofMillis(220000),
        Duration.ofSeconds(120),
        true,
        false,
        OptionalLong.empty(),
        Duration.ZERO,
        Optional.empty(),
        OptionalLong.empty(),
        zone,
        "_For_SafeKit_Replication",
        Optional.empty(),
        List.of(),
        replicated);
  }

  /** The same element with the reintegration's copy rate capped ({@code reiallowedbw}, KB/s). */
  static Rfs withBandwidth(Rfs rfs, long kbPerSecond) {
    return edit(rfs, f -> f.reiallowedbw = OptionalLong.of(kbPerSecond));
  }

  /** The same element with other directories (exclusions, read-only …). */
  static Rfs withReplicated(Rfs rfs, List<Rfs.Replicated> replicated) {
    return edit(rfs, f -> f.replicated = replicated);
  }

  /** The same element with {@code nbrei} parallel reintegration streams. */
  static Rfs withStreams(Rfs rfs, int nbrei) {
    return edit(rfs, f -> f.nbrei = nbrei);
  }

  /** The same element with {@code nbremconn} connections between the nodes. */
  static Rfs withConnections(Rfs rfs, int nbremconn) {
    return edit(rfs, f -> f.nbremconn = nbremconn);
  }

  /** The same element with {@code scripts} on or off. */
  static Rfs withScripts(Rfs rfs, boolean scripts) {
    return edit(rfs, f -> f.scripts = scripts);
  }

  /** The same element with other {@code checktime} and {@code checkintv}. */
  static Rfs withChecks(Rfs rfs, Duration checktime, Duration checkintv) {
    return edit(
        rfs,
        f -> {
          f.checktime = checktime;
          f.checkintv = checkintv;
        });
  }

  /** The same element with another {@code reitimeout}. */
  static Rfs withReiTimeout(Rfs rfs, Duration reitimeout) {
    return edit(rfs, f -> f.reitimeout = reitimeout);
  }

  /** The same element with {@code reidetail} on or off. */
  static Rfs withReidetail(Rfs rfs, boolean reidetail) {
    return edit(rfs, f -> f.reidetail = reidetail);
  }

  /** The same element with {@code acl} on or off. */
  static Rfs withAcl(Rfs rfs, boolean acl) {
    return edit(rfs, f -> f.acl = acl);
  }

  /** What the withers above change of an element; the rest is kept. */
  private static final class Edit {
    boolean acl;
    Duration reitimeout;
    boolean reidetail;
    int nbrei;
    int nbremconn;
    boolean scripts;
    Duration checktime;
    Duration checkintv;
    OptionalLong reiallowedbw;
    List<Rfs.Replicated> replicated;
  }

  private static Rfs edit(Rfs rfs, java.util.function.Consumer<Edit> change) {
    Edit f = new Edit();
    f.acl = rfs.acl();
    f.reitimeout = rfs.reitimeout();
    f.reidetail = rfs.reidetail();
    f.nbrei = rfs.nbrei();
    f.nbremconn = rfs.nbremconn();
    f.scripts = rfs.scripts();
    f.checktime = rfs.checktime();
    f.checkintv = rfs.checkintv();
    f.reiallowedbw = rfs.reiallowedbw();
    f.replicated = rfs.replicated();
    change.accept(f);
    return new Rfs(
        f.acl,
        rfs.async(),
        rfs.iotimeout(),
        rfs.roflags(),
        rfs.locktimeout(),
        rfs.sendtimeout(),
        f.nbrei,
        rfs.ruzoneBlocksize(),
        rfs.namespacepolicy(),
        f.reitimeout,
        rfs.reicommit(),
        f.reidetail,
        rfs.allocthreshold(),
        f.nbremconn,
        f.checktime,
        f.checkintv,
        rfs.nfsboxCross(),
        f.scripts,
        f.reiallowedbw,
        rfs.syncdelta(),
        rfs.syncat(),
        rfs.packetsize(),
        rfs.reipacketsize(),
        rfs.mountoversuffix(),
        rfs.flow(),
        rfs.flowServers(),
        f.replicated);
  }
}
