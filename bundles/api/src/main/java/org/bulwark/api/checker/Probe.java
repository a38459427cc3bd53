package org.bulwark.api.checker;

import java.time.Duration;

/**
 * One test of one target (a TCP connect, a process table scan, an ICMP echo). Runs on a thread of
 * the executor, never on a module's loop; it returns a result and never throws (as Felix Health
 * Checks do): an exception escaping a probe counts as down, with its message.
 */
@FunctionalInterface
public interface Probe {
  /**
   * @param timeout how long the test may take; the executor counts a probe still running after it
   *     (plus a second of grace) as down
   */
  ProbeResult probe(Duration timeout);
}
