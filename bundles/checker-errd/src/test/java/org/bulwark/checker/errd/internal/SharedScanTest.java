package org.bulwark.checker.errd.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.checker.ProcessTable;
import org.junit.Test;

/** The process table read once per second at most, on a manual clock. */
public class SharedScanTest {
  @Test
  public void oneReadServesEveryPollWithinASecond() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    ProcessTable table =
        () -> List.of(new ProcessTable.Process(reads.incrementAndGet(), 1, "sleep", "sleep 1"));
    SharedScan scan = new SharedScan(table, nanos::get);
    assertEquals(1, scan.list().get(0).pid());
    nanos.addAndGet(999_999_999L);
    assertEquals(1, scan.list().get(0).pid());
    assertEquals(1, reads.get());
    nanos.addAndGet(1L);
    assertEquals(2, scan.list().get(0).pid());
    assertEquals(2, reads.get());
  }
}
