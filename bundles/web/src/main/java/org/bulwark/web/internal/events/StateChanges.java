package org.bulwark.web.internal.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two looks at the modules of this node: a pure step, {@code (last seen, now)
 * -> events}. A module seen for the first time or gone (uninstalled: local state {@code null}) is a
 * change too.
 */
final class StateChanges {

  /** One module's states at one look; {@code remote} is null when the module has no peer. */
  record Look(String module, String local, String remote) {}

  /** Guarded by the feed's lock. */
  private final Map<String, Look> last = new HashMap<>();

  /** The events that take the last looks to {@code now}, in module order of {@code now}. */
  List<StateEvent> step(List<Look> now, Instant time) {
    List<StateEvent> events = new ArrayList<>();
    Map<String, Look> seen = new HashMap<>();
    for (Look look : now) {
      seen.put(look.module(), look);
      if (!Objects.equals(last.get(look.module()), look)) {
        events.add(new StateEvent(look.module(), look.local(), look.remote(), time.toString()));
      }
    }
    for (String gone : last.keySet()) {
      if (!seen.containsKey(gone)) {
        events.add(new StateEvent(gone, null, null, time.toString()));
      }
    }
    last.clear();
    last.putAll(seen);
    return events;
  }

  /** The event of one module's new look, if it differs from the last one. */
  List<StateEvent> change(Look look, Instant time) {
    if (Objects.equals(last.put(look.module(), look), look)) {
      return List.of();
    }
    return List.of(new StateEvent(look.module(), look.local(), look.remote(), time.toString()));
  }

  /** The event of a module gone, if it was there. */
  List<StateEvent> gone(String module, Instant time) {
    return last.remove(module) == null
        ? List.of()
        : List.of(new StateEvent(module, null, null, time.toString()));
  }

  /** The event of a known module's new peer state, if it changed. */
  List<StateEvent> remote(String module, String remote, Instant time) {
    Look look = last.get(module);
    return look == null ? List.of() : change(new Look(module, look.local(), remote), time);
  }

  /** The current states, as events at {@code time}: what a new client gets first. */
  List<StateEvent> snapshot(Instant time) {
    return last.values().stream()
        .sorted(java.util.Comparator.comparing(Look::module))
        .map(l -> new StateEvent(l.module(), l.local(), l.remote(), time.toString()))
        .toList();
  }
}
