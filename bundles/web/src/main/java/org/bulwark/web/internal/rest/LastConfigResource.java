package org.bulwark.web.internal.rest;

import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.web.internal.auth.Role;

/** The last configurations of a module (spec B.21): listed, and one restored. */
@Path("modules/{module}/lastconfig")
@Produces(MediaType.APPLICATION_JSON)
public final class LastConfigResource {
  private final ApiServices services;
  private final ModuleAdmin admin;

  LastConfigResource(ApiServices services) {
    this.services = services;
    this.admin = new ModuleAdmin(services.cli(), services.env().directories().modules());
  }

  /** {@code GET /modules/AM/lastconfig}: the last configurations kept, newest first. */
  @GET
  @ApiDoc(
      "The last three configurations applied, newest first (SAFE/modules/lastconfig, spec B.21)")
  @Allow(Role.ADMIN)
  public List<LastConfigs.Saved> lastConfigs(@PathParam("module") String name) {
    admin.requireInstalled(name);
    return LastConfigs.list(services.env().directories(), name);
  }

  /** {@code POST /modules/AM/lastconfig/NAME/restore?apply=true}: reinstalls a saved one. */
  @POST
  @Path("{name}/restore")
  @ApiDoc(
      value =
          "Restores a saved configuration: safekit module install -m AM -r <saved .safe>, then"
              + " safekit config -m AM with apply=true",
      params = {
        "name: the saved configuration, as GET /modules/{module}/lastconfig names it",
        "apply: true to apply it at once (the module must allow config)"
      },
      errors = {400, 409})
  @Allow(Role.ADMIN)
  public List<CliCall.Result> restore(
      @PathParam("module") String name,
      @PathParam("name") String saved,
      @QueryParam("apply") String apply,
      @Context SecurityContext security) {
    boolean andApply = Params.flag("apply", apply);
    admin.requireInstalled(name);
    java.nio.file.Path file = LastConfigs.file(services.env().directories(), name, saved);
    return admin.restore(ModulesResource.caller(security), name, file, andApply);
  }
}
