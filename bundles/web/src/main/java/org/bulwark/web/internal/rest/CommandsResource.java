package org.bulwark.web.internal.rest;

import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.StoreException;
import org.bulwark.web.internal.auth.Role;

/** {@code GET /cmdlog?limit=N}: the newest rows of the commands log (spec G.7), oldest first. */
@Path("cmdlog")
@Produces(MediaType.APPLICATION_JSON)
public final class CommandsResource {
  private final CommandLog commands;

  CommandsResource(CommandLog commands) {
    this.commands = commands;
  }

  @GET
  @ApiDoc(
      value = "The newest rows of the commands log, oldest first (safekit cmdlog)",
      params = {"limit: rows at most, 1 to 10000 (default 100)"},
      errors = 400)
  @Allow(Role.MONITOR)
  public List<Views.Command> tail(@QueryParam("limit") String limit) throws StoreException {
    return commands.tail(Params.integer("limit", limit, 1, 10_000, 100)).stream()
        .map(Views.Command::of)
        .toList();
  }
}
