package org.bulwark.automaton;

import java.util.Objects;

/**
 * The {@code <service>} attributes an automaton needs (spec B.3).
 *
 * @param node this node's name (cluster.xml)
 * @param failover mirror: SECOND takes over when PRIM fails (initial value; {@code safekit failover
 *     on|off} changes it at runtime)
 * @param defaultprim mirror: {@code alone} (default), a node name, or {@code lastprim}
 * @param maxloop error-triggered actions allowed within loop_interval (default 3)
 * @param loopIntervalMillis loop_interval; 0 disables the counter (default 24 h)
 */
public record ServiceSettings(
    String node, boolean failover, String defaultprim, int maxloop, long loopIntervalMillis) {

  public static final long DAY_MILLIS = 24L * 3600 * 1000;

  public ServiceSettings {
    Objects.requireNonNull(node, "node");
    defaultprim = defaultprim == null || defaultprim.isEmpty() ? "alone" : defaultprim;
    if (maxloop < 0 || loopIntervalMillis < 0) {
      throw new IllegalArgumentException("maxloop and loop_interval must be >= 0");
    }
  }

  /** The defaults of spec B.3 for a node. */
  public static ServiceSettings defaults(String node) {
    return new ServiceSettings(node, true, "alone", 3, DAY_MILLIS);
  }

  public ServiceSettings withFailover(boolean on) {
    return new ServiceSettings(node, on, defaultprim, maxloop, loopIntervalMillis);
  }

  public ServiceSettings withDefaultprim(String d) {
    return new ServiceSettings(node, failover, d, maxloop, loopIntervalMillis);
  }

  public ServiceSettings withLoop(int max, long intervalMillis) {
    return new ServiceSettings(node, failover, defaultprim, max, intervalMillis);
  }
}
