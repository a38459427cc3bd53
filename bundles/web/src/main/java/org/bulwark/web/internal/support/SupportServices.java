package org.bulwark.web.internal.support;

import java.time.Clock;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceHistory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * What the support verbs {@code dump} and {@code snapshot} (spec F.6, G.12) read: the node's
 * directories, its modules, their logs and resources, and the commands log. One component that both
 * verbs reference, so that their services are gathered in one place.
 */
@Component(service = SupportServices.class)
public final class SupportServices {
  private final NodeEnvironment env;
  private final ModuleRegistry modules;
  private final EventLog events;
  private final ResourceHistory resources;
  private final CommandLog commands;

  @Activate
  public SupportServices(
      @Reference NodeEnvironment env,
      @Reference ModuleRegistry modules,
      @Reference EventLog events,
      @Reference ResourceHistory resources,
      @Reference CommandLog commands) {
    this.env = env;
    this.modules = modules;
    this.events = events;
    this.resources = resources;
    this.commands = commands;
  }

  NodeEnvironment env() {
    return env;
  }

  /** Dumps stamped with this node's local time. */
  Dumps dumps() {
    return dumps(Clock.systemDefaultZone());
  }

  /** Dumps stamped by {@code clock}. */
  Dumps dumps(Clock clock) {
    return new Dumps(env, modules, events, resources, commands, clock);
  }
}
