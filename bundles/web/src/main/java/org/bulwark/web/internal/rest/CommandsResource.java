package org.bulwark.web.internal.rest;

import java.net.URI;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.StoreException;
import org.bulwark.web.internal.auth.Role;

/**
 * {@code GET /cmdlog?limit=N&before=ROW}: a page of the commands log (spec G.7), oldest first; the
 * {@code Link} header names the older page.
 */
@Path("cmdlog")
@Produces(MediaType.APPLICATION_JSON)
public final class CommandsResource {
  private final CommandLog commands;

  CommandsResource(CommandLog commands) {
    this.commands = commands;
  }

  @GET
  @ApiDoc(
      value = "A page of the commands log, oldest first (safekit cmdlog)",
      description =
          "Without before, the newest rows. When older rows exist, the Link header"
              + " (rel=\"next\") gives the URL of the page before this one.",
      params = {
        "limit: rows at most, 1 to 10000 (default 100)",
        "before: rows older than this row number (from a Link header)"
      },
      errors = 400,
      returns = Views.Command[].class)
  @Allow(Role.MONITOR)
  public Response page(
      @QueryParam("limit") String limit, @QueryParam("before") String before, @Context UriInfo uri)
      throws StoreException {
    int rows = Params.integer("limit", limit, 1, 10_000, 100);
    long from = Params.sequence("before", before);
    CommandLog.Page page = commands.page(from, rows);
    Response.ResponseBuilder answer =
        Response.ok(page.rows().stream().map(Views.Command::of).toList());
    if (page.next() > 0) {
      URI next =
          uri.getRequestUriBuilder()
              .replaceQueryParam("before", page.next())
              .replaceQueryParam("limit", rows)
              .build();
      answer.link(next, "next");
    }
    return answer.build();
  }
}
