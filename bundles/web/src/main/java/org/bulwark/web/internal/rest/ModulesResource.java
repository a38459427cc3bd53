package org.bulwark.web.internal.rest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.StoreException;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Role;

/**
 * Modules (spec G.5): their states with resources, their logs, and the control commands of spec
 * F.3, each run as the {@code safekit} verb of the same name.
 */
@Path("modules")
@Produces(MediaType.APPLICATION_JSON)
public final class ModulesResource {

  /** The control verbs and the flags each takes as {@code ?flag=true}. */
  static final Map<String, List<String>> ACTIONS =
      Map.of(
          "start", List.of(),
          "stop", List.of(),
          "restart", List.of(),
          "stopstart", List.of(),
          "forcestop", List.of(),
          "prim", List.of("fullsync"),
          "second", List.of("fullsync"),
          "swap", List.of("nosync"),
          "primforce", List.of());

  /** The on/off settings ({@code safekit errd on -m AM} …). */
  static final List<String> TOGGLES = List.of("errd", "checker", "failover");

  private final ApiServices services;
  private final ModuleAdmin admin;

  ModulesResource(ApiServices services) {
    this.services = services;
    this.admin = new ModuleAdmin(services.cli(), services.env().directories().modules());
  }

  /** {@code GET /modules}: every module of this node with its state. */
  @GET
  @ApiDoc("Every module of this node with its id, kind and state (safekit state)")
  @Allow(Role.MONITOR)
  public List<Views.Module> list() {
    return services.modules().modules().stream().map(Views.Module::of).toList();
  }

  /** {@code GET /modules/AM}: the module's state and the current value of its resources. */
  @GET
  @Path("{module}")
  @ApiDoc(
      "A module's state and the current value of each of its resources (safekit state -m AM -v)")
  @Allow(Role.MONITOR)
  public Views.ModuleDetail module(@PathParam("module") String name) throws StoreException {
    ModuleStatus status = find(name);
    List<Views.Resource> resources =
        services.resources().current(name).stream().map(Views.Resource::of).toList();
    return new Views.ModuleDetail(Views.Module.of(status), resources);
  }

  /** {@code GET /modules/AM/resources/R?limit=N}: the values a resource took, oldest first. */
  @GET
  @Path("{module}/resources/{resource}")
  @ApiDoc(
      value = "The values a resource took, oldest first",
      params = {
        "resource: the resource name (heartbeat.0, usersetting.errd …)",
        "limit: the newest values at most, 1 to 10000 (default 100)"
      },
      errors = {400})
  @Allow(Role.MONITOR)
  public List<Views.Resource> history(
      @PathParam("module") String name,
      @PathParam("resource") String resource,
      @QueryParam("limit") String limit)
      throws StoreException {
    find(name);
    List<Views.Resource> values =
        services
            .resources()
            .history(name, resource, Params.integer("limit", limit, 1, 10_000, 100))
            .stream()
            .map(Views.Resource::of)
            .toList();
    if (values.isEmpty()) {
      throw ApiException.notFound("module " + name + " has no resource " + resource);
    }
    return values;
  }

  /**
   * {@code GET /modules/AM/log?verbose&level=E,C&component=heart&after=SEQ&limit=N}: a page of the
   * module log; {@code next} is the {@code after} of the following page. {@code before=SEQ} instead
   * of {@code after}: the rows just before that one (the console's context of a row).
   */
  @GET
  @Path("{module}/log")
  @ApiDoc(
      value = "A page of the module log (safekit log -m AM), filtered",
      description =
          "Without after or before, the newest rows; with after=SEQ the rows after it, with"
              + " before=SEQ the newest rows before it; oldest first either way."
              + " next is the after of the following page.",
      params = {
        "verbose: true adds the I and D rows (the verbose log)",
        "level: levels kept, comma-separated among U, E, C, S, W, I, D",
        "component: the writer kept (heart, userplug, errd, a checker's name …)",
        "after: rows after this sequence number",
        "before: the newest rows before this sequence number (not with after)",
        "limit: rows at most, 1 to 1000 (default 100)"
      },
      errors = {400})
  @Allow(Role.MONITOR)
  public Views.LogPage log(
      @PathParam("module") String name,
      @QueryParam("verbose") String verbose,
      @QueryParam("level") String level,
      @QueryParam("component") String component,
      @QueryParam("after") String after,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit)
      throws StoreException {
    LogQuery query = LogQuery.parse(verbose, level, component, after, before, limit);
    find(name);
    return query.run(services.events(), name);
  }

  /**
   * {@code POST /modules/AM/<action>}: start, stop, restart, stopstart, forcestop, prim, second,
   * swap, primforce ({@code ?fullsync=true} for prim and second, {@code ?nosync=true} for swap).
   */
  @POST
  @Path("{module}/{action}")
  @ApiDoc(
      value = "Runs a control command on the module (safekit <action> -m AM)",
      description = "Answers once the module accepted the command, not once the state is reached.",
      params = {
        "action: start, stop, restart, stopstart, forcestop, prim, second, swap or primforce",
        "fullsync: true for prim and second with a full synchronisation",
        "nosync: true for swap without synchronisation"
      },
      errors = {400, 409})
  @Allow(Role.CONTROL)
  public CliCall.Result control(
      @PathParam("module") String name,
      @PathParam("action") String action,
      @QueryParam("fullsync") String fullsync,
      @QueryParam("nosync") String nosync,
      @Context SecurityContext security) {
    List<String> flags = ACTIONS.get(action);
    if (flags == null) {
      throw ApiException.notFound(
          "no action '"
              + action
              + "': "
              + String.join(", ", ACTIONS.keySet().stream().sorted().toList()));
    }
    List<String> args = new ArrayList<>(List.of(action));
    if (Params.flag("fullsync", fullsync)) {
      requireFlag(flags, "fullsync", action);
      args.add("fullsync");
    }
    if (Params.flag("nosync", nosync)) {
      requireFlag(flags, "nosync", action);
      args.add("nosync");
    }
    find(name);
    args.add("-m");
    args.add(name);
    return CliCall.run(services.cli(), caller(security), args);
  }

  /** {@code POST /modules/AM/errd|checker|failover/on|off}: the persistent on/off settings. */
  @POST
  @Path("{module}/{setting}/{value}")
  @ApiDoc(
      value = "Turns a persistent setting on or off (safekit errd|checker|failover on|off -m AM)",
      params = {"setting: errd, checker or failover", "value: on or off"},
      errors = {400, 409})
  @Allow(Role.CONTROL)
  public CliCall.Result toggle(
      @PathParam("module") String name,
      @PathParam("setting") String setting,
      @PathParam("value") String value,
      @Context SecurityContext security) {
    if (!TOGGLES.contains(setting)) {
      throw ApiException.notFound("no setting '" + setting + "': " + String.join(", ", TOGGLES));
    }
    if (!value.equals("on") && !value.equals("off")) {
      throw ApiException.badRequest(setting + " takes on or off, not '" + value + "'");
    }
    find(name);
    return CliCall.run(services.cli(), caller(security), List.of(setting, value, "-m", name));
  }

  /**
   * {@code POST /modules/AM/install?id=N}: installs the module from the {@code .safe} in the body
   * ({@code application/zip} or {@code application/octet-stream}), or from the stock template of
   * that name when the body is empty ({@code safekit module install -m AM [-M id]}); {@code
   * ?reinstall=true} replaces an installed (stopped) module ({@code -r}, used by {@code -E}).
   */
  @POST
  @Path("{module}/install")
  @ApiDoc(
      value =
          "Installs the module from a .safe, or from the stock template of that name"
              + " (safekit module install -m AM [-M id])",
      params = {
        "id: the module id to give (-M), 1 to 999999",
        "reinstall: true replaces an installed, stopped module (-r; used by safekit -E)"
      },
      body = "the .safe (application/zip), or nothing for Application_Modules/generic/AM.safe",
      errors = {400, 409, 413})
  @Allow(Role.ADMIN)
  public CliCall.Result install(
      @PathParam("module") String name,
      @QueryParam("id") String id,
      @QueryParam("reinstall") String reinstall,
      InputStream body,
      @Context SecurityContext security) {
    return admin.install(caller(security), name, body, id, Params.flag("reinstall", reinstall));
  }

  /** {@code POST /modules/AM/config}: applies the installed configuration (safekit config). */
  @POST
  @Path("{module}/config")
  @ApiDoc(value = "Applies the installed configuration (safekit config -m AM)", errors = 409)
  @Allow(Role.ADMIN)
  public CliCall.Result config(
      @PathParam("module") String name, @Context SecurityContext security) {
    return CliCall.run(services.cli(), caller(security), List.of("config", "-m", name));
  }

  /** {@code POST /modules/AM/deconfig}: the module is no longer run (safekit deconfig). */
  @POST
  @Path("{module}/deconfig")
  @ApiDoc(value = "The module is no longer run here (safekit deconfig -m AM)", errors = 409)
  @Allow(Role.ADMIN)
  public CliCall.Result deconfig(
      @PathParam("module") String name, @Context SecurityContext security) {
    return CliCall.run(services.cli(), caller(security), List.of("deconfig", "-m", name));
  }

  /** {@code DELETE /modules/AM}: uninstalls a stopped module (safekit module uninstall). */
  @DELETE
  @Path("{module}")
  @ApiDoc(
      value = "Uninstalls a stopped module, keeping a backup (safekit module uninstall -m AM)",
      errors = 409)
  @Allow(Role.ADMIN)
  public CliCall.Result uninstall(
      @PathParam("module") String name, @Context SecurityContext security) {
    return CliCall.run(
        services.cli(), caller(security), List.of("module", "uninstall", "-m", name));
  }

  /** {@code GET /modules/AM/package}: the module as a {@code .safe} (safekit module package). */
  @GET
  @Path("{module}/package")
  @Produces("application/zip")
  @ApiDoc(
      value = "The module as a .safe (safekit module package -m AM)",
      errors = 409,
      returns = byte[].class)
  @Allow(Role.ADMIN)
  public Response download(@PathParam("module") String name, @Context SecurityContext security) {
    return Response.ok(admin.pack(caller(security), name))
        .header("Content-Disposition", "attachment; filename=\"" + name + ".safe\"")
        .build();
  }

  private static void requireFlag(List<String> flags, String flag, String action) {
    if (!flags.contains(flag)) {
      throw ApiException.badRequest(action + " does not take '" + flag + "'");
    }
  }

  private ModuleStatus find(String name) {
    return configured(services, name);
  }

  /** The module {@code name} as the runtime runs it, or a 404. */
  static ModuleStatus configured(ApiServices services, String name) {
    return services
        .modules()
        .module(name)
        .orElseThrow(
            () -> ApiException.notFound("module " + name + " is not installed or not configured"));
  }

  static Caller caller(SecurityContext security) {
    return (Caller) security.getUserPrincipal();
  }
}
