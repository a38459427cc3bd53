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

  /** The replication's traffic, which its bandwidth resources report. */
  Traffic traffic() {
    return traffic;
  }

  void set(String name, String value) {
    synchronized (this) {
      if (value.equals(values.put(name, value))) {
        return;
      }
    }
    events.resource(name, value);
  }
}
