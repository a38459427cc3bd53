package org.bulwark.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.CommandLogEntry.Kind;

/** An in-memory commands log for dispatcher tests; the real one is tested in bundles/store. */
final class MemoryCommandLog implements CommandLog {
  final List<CommandLogEntry> rows = new ArrayList<>();
  private long next = 1;

  @Override
  public synchronized long start(String type, String module, String commandLine) {
    long id = next++;
    rows.add(new CommandLogEntry(Instant.now(), type, module, id, Kind.START, commandLine));
    return id;
  }

  @Override
  public synchronized void end(long id, int exitCode) {
    rows.add(new CommandLogEntry(Instant.now(), "", "", id, Kind.END, Integer.toString(exitCode)));
  }

  @Override
  public synchronized void info(String type, String module, String message) {
    rows.add(new CommandLogEntry(Instant.now(), type, module, 0, Kind.I, message));
  }

  @Override
  public synchronized List<CommandLogEntry> tail(int limit) {
    return List.copyOf(rows.subList(Math.max(0, rows.size() - limit), rows.size()));
  }
}
