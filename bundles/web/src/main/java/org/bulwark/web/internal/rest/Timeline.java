package org.bulwark.web.internal.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.store.StoreException;

/**
 * A module's states timeline (spec G.4, console since 8.2.2): the changes of its local state and of
 * its peer's as this node saw them, newest first. The module runtime journals both as the resources
 * {@code state.local} and {@code state.remote} (spec B.20), with their history in the node's store:
 * the timeline is that history, merged.
 */
final class Timeline {
  static final List<String> RESOURCES = List.of("state.local", "state.remote");

  private Timeline() {}

  /**
   * One change.
   *
   * @param time when it happened, ISO 8601 UTC
   * @param side {@code local} or {@code remote}
   * @param state the state entered ({@code STOP}, {@code WAIT}, {@code ALONE}, {@code UP}, {@code
   *     PRIM}, {@code SECOND}; {@code UNKNOWN} for a peer not heard from)
   */
  record Change(String time, String side, String state) {}

  /** The newest {@code limit} changes of {@code module}, newest first. */
  static List<Change> of(ResourceHistory history, String module, int limit) throws StoreException {
    List<ResourceEntry> rows = new ArrayList<>();
    for (String resource : RESOURCES) {
      rows.addAll(history.history(module, resource, limit));
    }
    return rows.stream()
        .sorted(Comparator.comparing(ResourceEntry::time).reversed())
        .limit(limit)
        .map(e -> new Change(e.time().toString(), e.name().substring("state.".length()), e.value()))
        .toList();
  }
}
