package org.bulwark.rfs.internal;

import java.util.HashMap;
import java.util.Map;
import org.bulwark.api.rfs.ReplicationEvents;

/** The module's {@code rfs.*} resources (spec B.20), reported only when a value changes. */
final class Resources {
  private final ReplicationEvents events;

  // guarded by this
  private final Map<String, String> values = new HashMap<>();

  private final Traffic traffic = new Traffic(this);

  Resources(ReplicationEvents events) {
    this.events = events;
  }

  /** A measurement's new value (ReplicationEvents#measured), reported only when it changes. */
  void measured(String name, String value) {
    if (changed(name, value)) {
      events.measured(name, value);
    }
  }

  private synchronized boolean changed(String name, String value) {
    return !value.equals(values.put(name, value));
  }

  /** The replication's traffic, which its bandwidth resources report. */
  Traffic traffic() {
    return traffic;
  }

  void set(String name, String value) {
    if (changed(name, value)) {
      events.resource(name, value);
    }
  }
}
