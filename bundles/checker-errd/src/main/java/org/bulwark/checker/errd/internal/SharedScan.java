package org.bulwark.checker.errd.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.bulwark.api.checker.ProcessTable;

/**
 * One read of the process table serves every {@code <proc>} of every module that polls within
 * {@link #MAX_AGE} of it (docs/benchmarks.md "Checkers": 100 modules each reading the whole of
 * {@code /proc} cost more than every other part of their checking). A process killed is seen at
 * most that much later.
 */
final class SharedScan implements ProcessTable {
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  private final ProcessTable table;
  private final LongSupplier nanos;

  // guarded by this
  private List<Process> last;
  private long readAt;

  SharedScan(ProcessTable table, LongSupplier nanos) {
    this.table = table;
    this.nanos = nanos;
  }

  @Override
  public synchronized List<Process> list() throws IOException {
    long now = nanos.getAsLong();
    if (last == null || now - readAt >= MAX_AGE.toNanos()) {
      last = List.copyOf(table.list());
      readAt = now;
    }
    return last;
  }
}
