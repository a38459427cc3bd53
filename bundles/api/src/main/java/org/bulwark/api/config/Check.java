package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code <check>} element (spec B.11): every checker, each setting a resource {@code
 * <class>.<ident>}. Whole subtree dynamic.
 */
public record Check(
    List<Tcp> tcp,
    List<Ping> ping,
    List<Intf> intf,
    List<Ip> ip,
    List<Custom> custom,
    List<Module> module,
    Optional<SplitBrain> splitbrain) {

  public static final Check NONE =
      new Check(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty());

  public Check {
    tcp = List.copyOf(tcp);
    ping = List.copyOf(ping);
    intf = List.copyOf(intf);
    ip = List.copyOf(ip);
    custom = List.copyOf(custom);
    module = List.copyOf(module);
    Objects.requireNonNull(splitbrain);
  }

  /** When a checker runs (spec B.11). */
  public enum When {
    PRE,
    PRIM,
    SECOND,
    BOTH
  }

  /** The action of a checker's generated rule (spec B.11). */
  public enum Action {
    STOP,
    STOPSTART,
    RESTART,
    WAIT,
    NOACTION
  }

  /**
   * {@code <tcp>} (spec B.12): resource {@code tcp.<ident>}, rule {@code t_<ident>}.
   *
   * @param interval connection attempt period (default 10 s)
   * @param timeout connect timeout (default 5 s)
   */
  public record Tcp(
      String ident,
      When when,
      Action action,
      String addr,
      int port,
      Duration interval,
      Duration timeout) {}

  /** {@code <ping>} (spec B.13): resource {@code ping.<ident>}, rule {@code p_<ident>}. */
  public record Ping(String ident, When when, Action action, List<PingTarget> targets) {
    public Ping {
      targets = List.copyOf(targets);
    }
  }

  /** One {@code <ping><to>} (interval default 10 s, timeout 5 s). */
  public record PingTarget(String addr, Duration interval, Duration timeout) {}

  /** {@code <intf>} (spec B.14): resource {@code intf.<ident>}, rule {@code interface_failure}. */
  public record Intf(String ident, When when, String localAddr) {}

  /** {@code <ip>} (spec B.15): resource {@code ip.<ident>}, rule {@code ip_failure}. */
  public record Ip(String ident, When when, String addr, Duration interval) {}

  /**
   * {@code <custom>} (spec B.16): resource {@code custom.<ident>}, rule {@code c_<ident>}.
   *
   * @param exec the program, relative to SAFEUSERBIN when not absolute
   * @param arg extra arguments, when given
   * @param action default noaction
   */
  public record Custom(String ident, When when, String exec, Optional<String> arg, Action action) {}

  /**
   * {@code <module>} (spec B.17): resource {@code module.<ident>}, rule {@code module_failure}.
   *
   * @param ident the given ident, else {@code <name>_<addr>}
   * @param name the other module
   * @param addr host of the other module's web service (default 127.0.0.1)
   * @param port its port (default 9010)
   * @param interval poll period (default 10 s)
   * @param timeout poll timeout (default 5 s)
   * @param secure HTTPS (default off)
   */
  public record Module(
      String ident,
      String name,
      String addr,
      int port,
      Duration interval,
      Duration timeout,
      boolean secure) {}

  /**
   * {@code <splitbrain>} (spec B.18): resources {@code splitbrain.<ident>} and {@code
   * splitbrain.uptodate}.
   *
   * @param exec {@code ping}
   * @param witnesses the addresses pinged, at least one
   */
  public record SplitBrain(String ident, String exec, List<String> witnesses) {
    public SplitBrain {
      witnesses = List.copyOf(witnesses);
    }
  }
}
