package org.bulwark.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code <heart>} element of a mirror module (spec B.4). The whole subtree is dynamic.
 *
 * @param port the UDP port when given; otherwise derived from the module id
 * @param pulse time between heartbeat packets (default 700 ms)
 * @param timeout loss detection time (default 30000 ms)
 * @param permanentArp whether heart installs permanent ARP entries (default on)
 * @param heartbeats one per lan, at least one
 */
public record Heart(
    OptionalInt port,
    Duration pulse,
    Duration timeout,
    boolean permanentArp,
    List<Heartbeat> heartbeats) {

  public static final Duration DEFAULT_PULSE = Duration.ofMillis(700);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(30000);

  public Heart {
    Objects.requireNonNull(port, "port");
    heartbeats = List.copyOf(heartbeats);
  }

  /** The UDP port: the configured one, else 8888 + (id − 1) (spec G.9). */
  public int effectivePort(int moduleId) {
    return port.orElse(8888 + moduleId - 1);
  }

  /**
   * One heartbeat (spec B.4 {@code <heartbeat>}), with its pulse and timeout already inherited from
   * {@code <heart>} when not set.
   *
   * @param name the cluster lan
   * @param ident the label of resource {@code heartbeat.<ident>}; defaults to the name
   * @param pulse effective pulse
   * @param timeout effective timeout
   * @param servers legacy syntax (before 7.2): the nodes' addresses given in {@code <server addr>}
   *     instead of a lan name (then {@code name} is empty); empty otherwise
   */
  public record Heartbeat(
      String name, String ident, Duration pulse, Duration timeout, List<String> servers) {
    public Heartbeat {
      servers = List.copyOf(servers);
    }

    /** Whether this heartbeat uses the pre-7.2 syntax. */
    public boolean legacy() {
      return !servers.isEmpty();
    }

    /** The resource this heartbeat sets (spec B.20). */
    public String resource() {
      return "heartbeat." + ident;
    }

    /** Whether the replication flow runs over this lan ({@code ident="flow"}). */
    public boolean isFlow() {
      return "flow".equals(ident);
    }
  }
}
