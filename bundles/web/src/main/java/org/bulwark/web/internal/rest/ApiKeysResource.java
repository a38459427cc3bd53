package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.util.List;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.StoreException;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Role;

/**
 * API keys for tools (spec G.5): created with a role and a logical name, the token returned once;
 * listed without tokens; deleted. Creating and deleting are in the commands log with their origin.
 */
@Path("apikey")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeysResource {
  private final ApiKeys keys;
  private final CommandLog commands;

  ApiKeysResource(ApiKeys keys, CommandLog commands) {
    this.keys = keys;
    this.commands = commands;
  }

  /** {@code GET /apikey}: every key's name and role. */
  @GET
  @ApiDoc("Every API key's name and role (never its token)")
  @Allow(Role.ADMIN)
  public List<ApiKeys.ApiKey> list() throws IOException {
    return keys.list();
  }

  /** {@code POST /apikey/<Admin|Control|Monitor>/<name>}: a new key; its token is shown once. */
  @POST
  @Path("{role}/{name}")
  @ApiDoc(
      value = "Creates an API key; its token is in this answer only",
      params = {"role: Admin, Control or Monitor", "name: the key's logical name"},
      errors = 400)
  @Allow(Role.ADMIN)
  public ApiKeys.NewKey create(
      @PathParam("role") String roleName,
      @PathParam("name") String name,
      @Context SecurityContext security)
      throws IOException, StoreException {
    Role role =
        Role.parse(roleName)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "role must be Admin, Control or Monitor, not '" + roleName + "'"));
    Caller caller = ModulesResource.caller(security);
    long id =
        commands.start(
            "api", null, "apikey create " + role + " " + name + " -u " + caller.origin());
    try {
      ApiKeys.NewKey key = keys.create(name, role);
      commands.end(id, CliExit.OK);
      return key;
    } catch (IllegalArgumentException e) {
      commands.end(id, CliExit.USAGE);
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /** {@code DELETE /apikey/<name>}: the key stops working at once. */
  @DELETE
  @Path("{name}")
  @ApiDoc(
      value = "Revokes an API key at once",
      params = "name: the key's logical name",
      errors = 404)
  @Allow(Role.ADMIN)
  public void delete(@PathParam("name") String name, @Context SecurityContext security)
      throws IOException, StoreException {
    Caller caller = ModulesResource.caller(security);
    long id = commands.start("api", null, "apikey delete " + name + " -u " + caller.origin());
    boolean deleted = keys.delete(name);
    commands.end(id, deleted ? CliExit.OK : CliExit.FAILED);
    if (!deleted) {
      throw ApiException.notFound("no API key named " + name);
    }
  }
}
