package org.bulwark.automaton.sim;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last events of a scenario, formatted only when a scenario fails (formatting every event would
 * cost more than the simulation itself).
 */
final class Trace {

  private record Entry(long time, String node, String what, Object detail) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final int capacity;

  Trace(int capacity) {
    this.capacity = capacity;
  }

  void add(long time, String node, String what, Object detail) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(time, node, what, detail));
  }

  String dump() {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      b.append(String.format("%8d %-6s %-10s ", e.time, e.node, e.what));
      if (e.detail instanceof List<?> l) {
        b.append('\n');
        for (Object o : l) {
          b.append("                           ").append(o).append('\n');
        }
      } else {
        b.append(e.detail).append('\n');
      }
    }
    return b.toString();
  }
}
