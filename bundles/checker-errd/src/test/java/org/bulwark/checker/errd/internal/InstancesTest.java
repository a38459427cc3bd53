package org.bulwark.checker.errd.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.config.Errd;
import org.junit.Test;

/** errd's verdict on a count, table-driven (spec B.10: atleast, atmax, −1 disables). */
public class InstancesTest {

  private static Errd.Proc proc(int atleast, int atmax, boolean service) {
    return new Errd.Proc(
        "httpd",
        service,
        Optional.empty(),
        Optional.empty(),
        atleast,
        atmax,
        "restart",
        List.of(),
        "prim",
        0);
  }

  @Test
  public void verdicts() {
    Object[][] table = {
      // atleast, atmax, service, count, expected
      {1, -1, false, 0, ProbeResult.down("Process httpd not running")},
      {1, -1, false, 1, ProbeResult.up("1 instance")},
      {1, -1, false, 5, ProbeResult.up("5 instances")},
      {2, -1, false, 1, ProbeResult.down("Process httpd not running")},
      {-1, -1, false, 0, ProbeResult.up("0 instances")},
      {-1, 0, false, 0, ProbeResult.up("0 instances")},
      {-1, 0, false, 1, ProbeResult.down("Process httpd running 1 times, more than atmax 0")},
      {1, 3, false, 3, ProbeResult.up("3 instances")},
      {1, 3, false, 4, ProbeResult.down("Process httpd running 4 times, more than atmax 3")},
      {1, -1, true, 0, ProbeResult.down("Service httpd not running")},
    };
    for (Object[] row : table) {
      Errd.Proc p = proc((int) row[0], (int) row[1], (boolean) row[2]);
      assertEquals(
          java.util.Arrays.toString(row),
          row[4],
          Instances.judge(p, Instances.Count.of((int) row[3])));
    }
    assertEquals(
        ProbeResult.down("Process httpd not checked: no /proc"),
        Instances.judge(proc(1, -1, false), Instances.Count.unknown("no /proc")));
  }
}
