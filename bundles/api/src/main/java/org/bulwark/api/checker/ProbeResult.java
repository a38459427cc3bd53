package org.bulwark.api.checker;

import java.util.Objects;
import java.util.Optional;

/**
 * What one probe found: up or down, with a short reason for the verbose log.
 *
 * @param up whether the target passed the test
 * @param detail why, e.g. {@code connection refused}
 * @param incarnation what the target says of its current run, when it says it (the ready period of
 *     a module, spec B.17): two passed tests with different incarnations mean the target was
 *     restarted between them, even though neither test saw it down
 */
public record ProbeResult(boolean up, String detail, Optional<String> incarnation) {
  public ProbeResult {
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(incarnation, "incarnation");
  }

  public ProbeResult(boolean up, String detail) {
    this(up, detail, Optional.empty());
  }

  public static ProbeResult up(String detail) {
    return new ProbeResult(true, detail);
  }

  /** A passed test of a target that names its current run. */
  public static ProbeResult up(String detail, String incarnation) {
    return new ProbeResult(true, detail, Optional.of(incarnation));
  }

  public static ProbeResult down(String detail) {
    return new ProbeResult(false, detail);
  }

  /** The resource value this result stands for (spec B.20). */
  public String value() {
    return up ? Watch.UP : Watch.DOWN;
  }
}
