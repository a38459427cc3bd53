package org.bulwark.api.vip;

import java.nio.file.Path;
import java.util.Objects;
import org.bulwark.api.config.Vip;

/**
 * What the virtual IPs of one module need to know.
 *
 * @param module the module name
 * @param vip the module's {@code <vip>} element (spec B.6)
 * @param state where the service records, before setting them, the addresses it sets ({@code
 *     SAFEUSERVAR/vip.set}): what a killed run left is found there at the next start
 */
public record VipSetup(String module, Vip vip, Path state) {
  /** The record's file name in {@code SAFEUSERVAR}. */
  public static final String RECORD = "vip.set";

  /** How often the ip checker looks at the addresses set (spec B.15: interval, default 10 s). */
  public static final java.time.Duration CHECK_INTERVAL = java.time.Duration.ofSeconds(10);

  public VipSetup {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(vip, "vip");
    Objects.requireNonNull(state, "state");
  }
}
