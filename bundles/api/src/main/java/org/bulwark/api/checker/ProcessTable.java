package org.bulwark.api.checker;

import java.io.IOException;
import java.util.List;

/** The processes of this machine (a driver in native/, spec B.10). */
public interface ProcessTable {
  /**
   * A process as errd sees it.
   *
   * @param pid its id
   * @param ppid its parent's
   * @param comm the kernel's command name (at most 15 characters on Linux)
   * @param args the full argument list, executable first, joined by spaces
   */
  record Process(long pid, long ppid, String comm, String args) {}

  /** Every process now; a process that ends while it is read is left out. */
  List<Process> list() throws IOException;
}
