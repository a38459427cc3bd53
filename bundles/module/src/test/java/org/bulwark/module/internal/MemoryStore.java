package org.bulwark.module.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;

/** An in-memory event log and resource table; the Derby store has its own tests. */
class MemoryStore implements EventLog, ResourceHistory {
  private final List<EventEntry> events = new ArrayList<>();
  private final List<ResourceEntry> history = new ArrayList<>();

  @Override
  public synchronized long append(
      Instant time, String module, String component, EventLevel level, String message) {
    events.add(new EventEntry(events.size() + 1, time, module, component, level, message));
    return events.size();
  }

  @Override
  public synchronized List<EventEntry> read(
      String module, long afterSeq, boolean verbose, int limit) {
    return events.stream()
        .filter(e -> e.module().equals(module) && e.seq() > afterSeq)
        .filter(e -> verbose || e.level().inMainLog())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<EventEntry> tail(String module, boolean verbose, int limit) {
    List<EventEntry> all = read(module, 0, verbose, Integer.MAX_VALUE);
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  /** The messages logged so far, in order. */
  synchronized List<String> messages() {
    return events.stream().map(EventEntry::message).toList();
  }

  @Override
  public synchronized void record(ResourceEntry entry) {
    history.add(entry);
  }

  @Override
  public synchronized List<ResourceEntry> current(String module) {
    Map<String, ResourceEntry> last = new LinkedHashMap<>();
    history.stream().filter(e -> e.module().equals(module)).forEach(e -> last.put(e.name(), e));
    return List.copyOf(last.values());
  }

  @Override
  public synchronized List<ResourceEntry> history(String module, String name, int limit) {
    return history.stream()
        .filter(e -> e.module().equals(module) && e.name().equals(name))
        .limit(limit)
        .toList();
  }
}
