package org.bulwark.api.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code <service>} element (spec B.3).
 *
 * @param mode mirror, farm or light
 * @param boot boot start policy; dynamic
 * @param bootDelay delay before a boot start (implicit unit s); dynamic
 * @param failover mirror: whether SECOND takes over automatically
 * @param defaultPrim mirror: {@code alone}, {@code lastprim} or a node name
 * @param maxloop error-triggered actions allowed within {@code loopInterval}; dynamic
 * @param loopInterval maxloop window (implicit unit h), zero disables the counter; dynamic
 * @param automaticReboot whether a stopstart becomes a reboot; dynamic
 */
public record ServiceConfig(
    Mode mode,
    Boot boot,
    Duration bootDelay,
    boolean failover,
    String defaultPrim,
    int maxloop,
    Duration loopInterval,
    boolean automaticReboot) {

  public static final String ALONE = "alone";
  public static final String LASTPRIM = "lastprim";

  public ServiceConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(boot, "boot");
    Objects.requireNonNull(bootDelay, "bootDelay");
    Objects.requireNonNull(defaultPrim, "defaultPrim");
    Objects.requireNonNull(loopInterval, "loopInterval");
  }

  /** {@code service@mode}. */
  public enum Mode {
    MIRROR,
    FARM,
    LIGHT
  }

  /** {@code service@boot}. */
  public enum Boot {
    OFF,
    ON,
    AUTO,
    IGNORE
  }
}
