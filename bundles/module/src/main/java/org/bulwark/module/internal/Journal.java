package org.bulwark.module.internal;

import java.time.Clock;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module log and resource table of one module (spec G.6, B.20). A store failure must not stop
 * the module: it goes to the node log instead.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final String module;
  private final EventLog events;
  private final ResourceHistory resources;
  private final Clock clock;

  Journal(String module, EventLog events, ResourceHistory resources, Clock clock) {
    this.module = module;
    this.events = events;
    this.resources = resources;
    this.clock = clock;
  }

  void log(EventLevel level, String component, String message) {
    try {
      events.append(clock.instant(), module, component, level, message);
    } catch (StoreException e) {
      LOG.error("{} | {} | {} | {} (not journaled: {})", module, component, level, message, e);
    }
  }

  /** The current value of a resource, if it has one. */
  java.util.Optional<String> current(String name) {
    try {
      return resources.current(module).stream()
          .filter(r -> r.name().equals(name))
          .map(ResourceEntry::value)
          .findFirst();
    } catch (StoreException e) {
      LOG.error("{}: cannot read resource {}", module, name, e);
      return java.util.Optional.empty();
    }
  }

  void resource(String name, String value, String setter) {
    try {
      resources.record(new ResourceEntry(clock.instant(), module, name, value, setter));
    } catch (StoreException e) {
      LOG.error("{}: resource {} = {} by {} not journaled", module, name, value, setter, e);
    }
  }
}
