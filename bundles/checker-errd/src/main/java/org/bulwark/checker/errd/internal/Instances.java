package org.bulwark.checker.errd.internal;

import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.config.Errd;

/** The verdict of errd on a count of instances (spec B.10), pure. */
final class Instances {
  private Instances() {}

  /** How many instances run, or why it is not known. */
  record Count(int instances, String unknown) {
    static Count of(int n) {
      return new Count(n, null);
    }

    static Count unknown(String why) {
      return new Count(-1, why);
    }
  }

  /**
   * Down below {@code atleast} ({@code Process <name> not running}, the guide's line) and above
   * {@code atmax}: with atmax 0 the action comes as soon as one instance starts, so the limit is
   * exceeded, not reached. −1 disables either bound. An unknown count is down: errd cannot vouch
   * for the process.
   */
  static ProbeResult judge(Errd.Proc p, Count count) {
    String what = p.service() ? "Service " : "Process ";
    if (count.unknown() != null) {
      return ProbeResult.down(what + p.name() + " not checked: " + count.unknown());
    }
    int n = count.instances();
    if (p.atleast() >= 0 && n < p.atleast()) {
      return ProbeResult.down(what + p.name() + " not running");
    }
    if (p.atmax() >= 0 && n > p.atmax()) {
      return ProbeResult.down(
          what + p.name() + " running " + n + " times, more than atmax " + p.atmax());
    }
    return ProbeResult.up(n + " instance" + (n == 1 ? "" : "s"));
  }
}
