package org.bulwark.web.internal.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.bulwark.web.internal.auth.Role;

/** A module's application logs (spec B.8): one per script run, listed and read page by page. */
@Path("modules/{module}/userlogs")
@Produces(MediaType.APPLICATION_JSON)
public final class UserLogsResource {
  private final ApiServices services;
  private final ModuleAdmin admin;

  UserLogsResource(ApiServices services) {
    this.services = services;
    this.admin = new ModuleAdmin(services.cli(), services.env().directories().modules());
  }

  /** {@code GET /modules/AM/userlogs?script=S&before=NAME&limit=N}: its application logs. */
  @GET
  @ApiDoc(
      value = "The application logs of the module (one per script run), newest first",
      description = "next is the before of the following, older page.",
      params = {
        "script: the script whose logs are kept (start_prim, stop_prim …); all when absent",
        "before: logs older than this one (a next)",
        "limit: logs at most, 1 to 1000 (default 100)"
      },
      errors = 400)
  @Allow(Role.MONITOR)
  public UserLogs.Page userLogs(
      @PathParam("module") String name,
      @QueryParam("script") String script,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit) {
    int rows = Params.integer("limit", limit, 1, 1000, 100);
    admin.requireInstalled(name);
    return UserLogs.list(
        services.env().directories(),
        name,
        script == null || script.isBlank() ? null : script,
        before,
        rows);
  }

  /** {@code GET /modules/AM/userlogs/NAME?after=LINE&limit=N}: lines of one application log. */
  @GET
  @Path("{name}")
  @ApiDoc(
      value = "A page of the lines of one application log: what the script printed",
      description = "next is the after of the following page, absent at the end of the file.",
      params = {
        "name: the log, as the list or the module log's S rows name it",
        "after: lines after this line number (default 0: from the first)",
        "limit: lines at most, 1 to 10000 (default 1000)"
      },
      errors = 400)
  @Allow(Role.MONITOR)
  public UserLogs.Lines userLog(
      @PathParam("module") String name,
      @PathParam("name") String log,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    long from = Math.max(0, Params.sequence("after", after));
    int rows = Params.integer("limit", limit, 1, UserLogs.MAX_LINES, 1000);
    admin.requireInstalled(name);
    return UserLogs.read(services.env().directories(), name, log, from, rows);
  }
}
