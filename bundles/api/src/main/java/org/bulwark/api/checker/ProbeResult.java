package org.bulwark.api.checker;

import java.util.Objects;

/**
 * What one probe found: up or down, with a short reason for the verbose log.
 *
 * @param up whether the target passed the test
 * @param detail why, e.g. {@code connection refused}
 */
public record ProbeResult(boolean up, String detail) {
  public ProbeResult {
    Objects.requireNonNull(detail, "detail");
  }

  public static ProbeResult up(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult down(String detail) {
    return new ProbeResult(false, detail);
  }

  /** The resource value this result stands for (spec B.20). */
  public String value() {
    return up ? Watch.UP : Watch.DOWN;
  }
}
