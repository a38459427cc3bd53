package org.bulwark.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One value taken by a module resource (spec B.20): {@code heartbeat.0 = up}, set by {@code heart}.
 *
 * @param time when the value was set
 * @param module the module
 * @param name the resource name ({@code heartbeat.0}, {@code rfs.uptodate} …)
 * @param value the value ({@code up}, {@code down}, {@code unknown} …)
 * @param setter who set it
 */
public record ResourceEntry(Instant time, String module, String name, String value, String setter) {

  public ResourceEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    setter = setter == null ? "" : setter;
  }
}
