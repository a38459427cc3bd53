package org.bulwark.api.checker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One periodic test that sets one resource (spec B.11): what a {@link CheckerProvider} derives from
 * a module's configuration and hands to the executor.
 *
 * @param resource the resource it sets, e.g. {@code tcp.db} or {@code proc.httpd}
 * @param by the checker process named in the log ({@code Resource tcp.db set to down by tcpcheck})
 * @param phase when it runs: {@code pre}, {@code prim}, {@code second}, {@code both} (spec B.11),
 *     or a user class of errd that {@code safekit errd enable <class>} switches on (spec B.10)
 * @param interval the period between two tests
 * @param timeout the time one test may take
 * @param firstDelay the delay of the first test after the phase begins ({@code start_after})
 * @param downAfter consecutive failed tests before the resource goes down (hysteresis, at least 1)
 * @param upAfter consecutive passed tests before it goes back up (at least 1)
 * @param errd whether it is process monitoring: {@code errd on|off} pauses it, not {@code checker
 *     on|off} (spec F.3)
 * @param reaction what the runtime does on a change of the resource, for the checks that SafeKit
 *     acts on directly (errd, spec B.10); empty for every other checker, whose resource the
 *     failover rules read
 * @param probe the test
 * @param supervised for a long-running checker program, what starts it: the probe is then never
 *     run, the program sets the resource itself
 */
public record Watch(
    String resource,
    String by,
    String phase,
    Duration interval,
    Duration timeout,
    Duration firstDelay,
    int downAfter,
    int upAfter,
    boolean errd,
    Optional<Reaction> reaction,
    Probe probe,
    Optional<Supervised> supervised) {

  /** The value of every checker resource until its first result (spec B.11). */
  public static final String INIT = "init";

  public static final String UP = "up";
  public static final String DOWN = "down";

  /** The built-in phases (spec B.11); {@code sec} is read as {@code second}. */
  public static final String PRE = "pre";

  public static final String PRIM = "prim";
  public static final String SECOND = "second";
  public static final String BOTH = "both";

  public Watch {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(firstDelay, "firstDelay");
    Objects.requireNonNull(reaction, "reaction");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(supervised, "supervised");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(resource + ": interval must be positive");
    }
    if (downAfter < 1 || upAfter < 1) {
      throw new IllegalArgumentException(resource + ": downAfter and upAfter must be at least 1");
    }
    phase = phase.equals("sec") ? SECOND : phase;
  }

  /** A watch that runs a probe every interval. */
  public Watch(
      String resource,
      String by,
      String phase,
      Duration interval,
      Duration timeout,
      Duration firstDelay,
      int downAfter,
      int upAfter,
      boolean errd,
      Optional<Reaction> reaction,
      Probe probe) {
    this(
        resource,
        by,
        phase,
        interval,
        timeout,
        firstDelay,
        downAfter,
        upAfter,
        errd,
        reaction,
        probe,
        Optional.empty());
  }

  /** A long-running checker program that sets {@code resource} itself (spec B.16). */
  public static Watch supervised(String resource, String by, String phase, Supervised program) {
    return new Watch(
        resource,
        by,
        phase,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ZERO,
        1,
        1,
        false,
        Optional.empty(),
        t -> ProbeResult.down("a supervised program is not probed"),
        Optional.of(program));
  }

  /** A checker's check: one failed or passed test changes the resource, nothing is done on down. */
  public static Watch of(
      String resource, String by, String phase, Duration interval, Duration timeout, Probe probe) {
    return new Watch(
        resource,
        by,
        phase,
        interval,
        timeout,
        Duration.ZERO,
        1,
        1,
        false,
        Optional.empty(),
        probe);
  }

  /** The phase of a checker's {@code when} (spec B.11). */
  public static String phase(org.bulwark.api.config.Check.When when) {
    return when.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the phase is one of spec B.11's, rather than a user class of errd. */
  public boolean builtInPhase() {
    return phase.equals(PRE) || phase.equals(PRIM) || phase.equals(SECOND) || phase.equals(BOTH);
  }

  /**
   * What SafeKit does itself on a change of the resource, for the checks it acts on directly: errd
   * when a process goes (spec B.10: the down result's detail is logged first, e.g. {@code Process
   * httpd not running}), modulecheck when the module it depends on is back after a restart (spec
   * B.17).
   *
   * @param action {@code restart}, {@code stopstart}, {@code stop}, {@code noaction}, or a handler
   *     program's path
   * @param identity the origin of the command ({@code errd}, {@code modulecheck}): it counts for
   *     maxloop (spec B.3)
   * @param on when: the resource goes down, or it comes back up after being down
   * @param services the services a restart restarts ({@code restart_services} of errd, spec B.10):
   *     the scripts of the restart get {@code -Services "S1, S2"} (spec E.2); empty for every other
   *     reaction
   */
  public record Reaction(String action, String identity, On on, java.util.List<String> services) {
    public Reaction {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(on, "on");
      services = java.util.List.copyOf(services);
    }

    public Reaction(String action, String identity, On on) {
      this(action, identity, on, java.util.List.of());
    }

    /** errd's reaction: on down. */
    public Reaction(String action, String identity) {
      this(action, identity, On.DOWN);
    }

    /** The change a reaction follows. */
    public enum On {
      DOWN,
      /**
       * up again after down, or up in two tests whose {@link ProbeResult#incarnation}s differ (the
       * target was restarted between them), while the module itself runs Ready (not WAIT).
       */
      RECOVERY
    }
  }
}
