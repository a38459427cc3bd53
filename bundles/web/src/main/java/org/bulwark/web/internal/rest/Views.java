package org.bulwark.web.internal.rest;

import java.util.List;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.ResourceEntry;

/** The JSON shapes of the API: flat records of text and numbers, times in ISO 8601. */
public final class Views {
  private Views() {}

  /** A module and its state ({@code PRIM}, {@code Ready}). */
  public record Module(String name, int id, String kind, String state, String readiness) {
    static Module of(ModuleStatus s) {
      return new Module(
          s.name(),
          s.id(),
          s.kind().name().toLowerCase(java.util.Locale.ROOT),
          s.local().state().name(),
          s.local().readiness().label());
    }
  }

  /** A module with its resources. */
  public record ModuleDetail(Module module, List<Resource> resources) {}

  /** One value of a resource (spec B.20). */
  public record Resource(String name, String value, String setter, String time) {
    static Resource of(ResourceEntry e) {
      return new Resource(e.name(), e.value(), e.setter(), e.time().toString());
    }
  }

  /** One module log row (spec G.6). */
  public record LogEntry(long seq, String time, String component, String level, String message) {
    static LogEntry of(EventEntry e) {
      return new LogEntry(
          e.seq(), e.time().toString(), e.component(), e.level().name(), e.message());
    }
  }

  /**
   * A page of the module log.
   *
   * @param entries the rows, oldest first
   * @param next the {@code after} of the following page
   */
  public record LogPage(List<LogEntry> entries, long next) {}

  /** One commands log row (spec G.7). */
  public record Command(
      String time, String type, String module, long id, String kind, String text) {
    static Command of(CommandLogEntry e) {
      return new Command(
          e.time().toString(), e.type(), e.module(), e.id(), e.kind().name(), e.text());
    }
  }
}
