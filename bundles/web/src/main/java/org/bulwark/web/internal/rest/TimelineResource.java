package org.bulwark.web.internal.rest;

import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.bulwark.api.store.StoreException;
import org.bulwark.web.internal.auth.Role;

/** A module's states timeline (spec G.4): its local and peer states as they changed. */
@Path("modules/{module}/timeline")
@Produces(MediaType.APPLICATION_JSON)
public final class TimelineResource {
  private final ApiServices services;

  TimelineResource(ApiServices services) {
    this.services = services;
  }

  /** {@code GET /modules/AM/timeline?limit=N}: the states timeline, newest first. */
  @GET
  @ApiDoc(
      value = "The states timeline: each change of the local and the peer's state, newest first",
      description =
          "From the history of the resources state.local and state.remote (spec B.20);"
              + " times are this node's clock.",
      params = "limit: changes at most, 1 to 10000 (default 100)",
      errors = 400)
  @Allow(Role.MONITOR)
  public List<Timeline.Change> timeline(
      @PathParam("module") String name, @QueryParam("limit") String limit) throws StoreException {
    int rows = Params.integer("limit", limit, 1, 10_000, 100);
    ModulesResource.configured(services, name);
    return Timeline.of(services.resources(), name, rows);
  }
}
