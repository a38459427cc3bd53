package org.bulwark.web.internal.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.web.internal.auth.Role;

/** A module's snapshot (spec G.12): a new dump with the last dumps and configurations. */
@Path("modules/{module}/snapshot")
@Produces("application/zip")
public final class SnapshotResource {
  private final ApiServices services;
  private final ModuleAdmin admin;

  SnapshotResource(ApiServices services) {
    this.services = services;
    this.admin = new ModuleAdmin(services.cli(), services.env().directories().modules());
  }

  /** {@code GET /modules/AM/snapshot}: a new snapshot of the module (safekit snapshot). */
  @GET
  @ApiDoc(
      value =
          "A new snapshot of the module: a new dump, the last 3 dumps and the last 3"
              + " configurations in one zip (safekit snapshot -m AM file.zip)",
      errors = 409,
      returns = byte[].class)
  @Allow(Role.CONTROL)
  public Response snapshot(@PathParam("module") String name, @Context SecurityContext security) {
    admin.requireInstalled(name);
    String file = "snapshot_" + services.env().hostName() + "_" + name + ".zip";
    return Response.ok(admin.snapshot(ModulesResource.caller(security), name))
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
        .build();
  }
}
