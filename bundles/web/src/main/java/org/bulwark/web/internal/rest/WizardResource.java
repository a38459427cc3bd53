package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.web.internal.auth.Caller;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.rcmd.RcmdCredentials;

/**
 * What the console's configuration wizards need beyond the other resources (spec G.4, A.3, F.5,
 * F.7): the stock templates, whether typed addresses answer, a cluster.xml applied on every node, a
 * module installed from a template, its files edited and checked, then exported to chosen nodes.
 * Every step runs the {@code safekit} verb an administrator would type.
 */
@javax.ws.rs.Path("wizard")
@Produces(MediaType.APPLICATION_JSON)
public final class WizardResource {
  /** How long one address has to accept a TCP connection. */
  static final Duration REACH_TIMEOUT = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiServices services;
  private final int webPort;

  WizardResource(ApiServices services, int webPort) {
    this.services = services;
    this.webPort = webPort;
  }

  /**
   * A stock module template.
   *
   * @param name the template's name, {@code mirror} for {@code mirror.safe}
   * @param file where it is, under {@code SAFE/Application_Modules}
   */
  public record Template(String name, String file) {}

  /**
   * {@code GET /wizard/templates}: the {@code .safe} files of {@code Application_Modules/generic}.
   */
  @GET
  @javax.ws.rs.Path("templates")
  @ApiDoc("The stock module templates (SAFE/Application_Modules/generic/*.safe), by name")
  @Allow(Role.ADMIN)
  public List<Template> templates() throws IOException {
    Path generic = services.env().directories().applicationModules().resolve("generic");
    if (!Files.isDirectory(generic)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(generic)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".safe"))
          .sorted()
          .map(f -> new Template(f.substring(0, f.length() - 5), "generic/" + f))
          .toList();
    }
  }

  /** {@code POST /wizard/reachability} with {@code {"addresses":[…]}}: a TCP connect to each. */
  @POST
  @javax.ws.rs.Path("reachability")
  @Consumes(MediaType.APPLICATION_JSON)
  @ApiDoc(
      value = "Whether this node reaches each address: a TCP connection to its web port",
      description =
          "Every address is tried once, at once, each within 2 s; only the addresses given."
              + " The nodes of a cluster share their web port (spec G.1).",
      body = "{\"addresses\":[\"10.0.0.1\",\"10.0.0.2\"]}: at most 64",
      errors = 400)
  @Allow(Role.ADMIN)
  public List<Reachability.AddressCheck> reachability(InputStream body) {
    List<String> addresses = Reachability.validate(strings(json(body), "addresses"));
    return Reachability.check(addresses, webPort, REACH_TIMEOUT);
  }

  /**
   * The outcome of applying a cluster.xml everywhere.
   *
   * @param valid whether the file is valid; when not, nothing was applied
   * @param errors every error, at its line and column
   * @param servers each node's answer to {@code safekit -H "*" -G}, when applied
   */
  public record ClusterApply(
      boolean valid, List<ConfigurationError> errors, List<WizardCli.ServerResult> servers) {}

  /**
   * {@code POST /wizard/cluster/apply} with a cluster.xml: checked, applied here ({@code safekit
   * cluster config}), then on every node it names ({@code safekit -H "*" -G}).
   */
  @POST
  @javax.ws.rs.Path("cluster/apply")
  @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML})
  @ApiDoc(
      value =
          "Checks a cluster.xml, applies it here, then on every node it names"
              + " (safekit cluster config, then safekit -H \"*\" -G)",
      description =
          "An invalid file is a successful answer listing its errors, with nothing applied. Every"
              + " node needs the distributed-command user (safekit webservercfg -rcmdpasswd).",
      body = "the cluster.xml",
      errors = {400, 409, 413, 415})
  @Allow(Role.ADMIN)
  public ClusterApply applyCluster(InputStream body, @Context SecurityContext security) {
    byte[] xml = Bodies.read(body);
    if (xml.length == 0) {
      throw ApiException.badRequest("the body must be a cluster.xml");
    }
    ConfigResult<?> check = services.config().parseCluster("cluster.xml", xml);
    if (!check.errors().isEmpty()) {
      return new ClusterApply(false, check.errors(), List.of());
    }
    requireRcmdUser();
    Caller caller = ModulesResource.caller(security);
    TempDirectory.with(
        dir -> {
          Path file = dir.resolve("cluster.xml");
          Files.write(file, xml);
          return CliCall.run(
              services.cli(),
              caller,
              List.of("cluster", "config", file.toString()),
              file,
              "cluster.xml");
        });
    WizardCli.Run push = WizardCli.run(services.cli(), caller, List.of("-H", "*", "-G"));
    return new ClusterApply(true, List.of(), servers(push));
  }

  /**
   * {@code POST /wizard/modules/AM/install?template=T&id=N}: {@code safekit module install -m AM
   * [-M N] SAFE/Application_Modules/generic/T.safe}.
   */
  @POST
  @javax.ws.rs.Path("modules/{module}/install")
  @ApiDoc(
      value =
          "Installs module AM from a stock template"
              + " (safekit module install -m AM [-M id] Application_Modules/generic/T.safe)",
      params = {
        "module: the new module's name",
        "template: a name of GET /wizard/templates",
        "id: the module id to give (-M), 1 to 999999"
      },
      errors = {400, 409})
  @Allow(Role.ADMIN)
  public CliCall.Result install(
      @PathParam("module") String module,
      @QueryParam("template") String template,
      @QueryParam("id") String id,
      @Context SecurityContext security) {
    requireName("module", module);
    requireName("template", template);
    Path safe =
        services
            .env()
            .directories()
            .applicationModules()
            .resolve("generic")
            .resolve(template + ".safe");
    if (!Files.isRegularFile(safe)) {
      throw ApiException.notFound("no template '" + template + "' in Application_Modules/generic");
    }
    List<String> args = new ArrayList<>(List.of("module", "install", "-m", module));
    if (id != null && !id.isEmpty()) {
      args.add("-M");
      args.add(Integer.toString(Params.integer("id", id, 1, 999_999, 1)));
    }
    args.add(safe.toString());
    return CliCall.run(services.cli(), ModulesResource.caller(security), args);
  }

  /** {@code GET /wizard/modules/AM/files}: userconfig.xml and the scripts, as text. */
  @GET
  @javax.ws.rs.Path("modules/{module}/files")
  @ApiDoc("The module's conf/userconfig.xml and bin/ scripts as text (SAFE/modules/AM)")
  @Allow(Role.ADMIN)
  public List<ModuleFiles.FileText> files(@PathParam("module") String module) {
    return ModuleFiles.read(installed(module));
  }

  /**
   * The outcome of saving a module's files.
   *
   * @param valid whether {@code safekit confcheck -m AM} accepted the configuration
   * @param output what it printed: the errors as {@code file:line:column: path: message}
   */
  public record ModuleCheck(boolean valid, String output) {}

  /**
   * {@code PUT /wizard/modules/AM/files}: writes the files into {@code SAFE/modules/AM} on this
   * node ("Save and check"), then {@code safekit confcheck -m AM}.
   */
  @PUT
  @javax.ws.rs.Path("modules/{module}/files")
  @Consumes(MediaType.APPLICATION_JSON)
  @ApiDoc(
      value =
          "Saves userconfig.xml and scripts on this node, then checks them (safekit confcheck -m"
              + " AM)",
      description =
          "An invalid configuration is a successful answer: valid is false and output has the"
              + " errors at their line. Nothing is applied.",
      body =
          "{\"files\":[{\"path\":\"conf/userconfig.xml\",\"content\":\"…\"},"
              + "{\"path\":\"bin/start_prim\",\"content\":\"…\"}]}",
      errors = {400, 413})
  @Allow(Role.ADMIN)
  public ModuleCheck save(
      @PathParam("module") String module, InputStream body, @Context SecurityContext security) {
    Path dir = installed(module);
    List<ModuleFiles.FileText> files = new ArrayList<>();
    JsonNode array = json(body).get("files");
    if (array == null || !array.isArray()) {
      throw ApiException.badRequest("the body must be {\"files\":[{\"path\":…,\"content\":…}]}");
    }
    for (JsonNode f : array) {
      JsonNode path = f.get("path");
      JsonNode content = f.get("content");
      files.add(
          new ModuleFiles.FileText(
              path != null && path.isTextual() ? path.asText() : null,
              content != null && content.isTextual() ? content.asText() : null));
    }
    ModuleFiles.write(dir, ModuleFiles.validate(files));
    WizardCli.Run check =
        WizardCli.run(
            services.cli(), ModulesResource.caller(security), List.of("confcheck", "-m", module));
    return new ModuleCheck(check.exitCode() == 0, check.output());
  }

  /**
   * {@code POST /wizard/modules/AM/apply?nodes=n1,n2}: {@code safekit -H "n1,n2" -E AM}, the module
   * installed with this node's id and configured on each ("Save and apply").
   */
  @POST
  @javax.ws.rs.Path("modules/{module}/apply")
  @ApiDoc(
      value =
          "Applies the module on the chosen nodes: installed with this node's id and configured"
              + " (safekit -H \"n1,n2\" -E AM)",
      description =
          "The answer has each node's result. The module must be stopped on those nodes, and every"
              + " node needs the distributed-command user (safekit webservercfg -rcmdpasswd).",
      params = {"nodes: node names of the applied cluster.xml, comma-separated"},
      errors = {400, 409})
  @Allow(Role.ADMIN)
  public List<WizardCli.ServerResult> apply(
      @PathParam("module") String module,
      @QueryParam("nodes") String nodes,
      @Context SecurityContext security) {
    if (nodes == null || nodes.isBlank()) {
      throw ApiException.badRequest(
          "query parameter 'nodes' is missing: node names, comma-separated");
    }
    for (String n : nodes.split(",", -1)) {
      if (!Params.isModuleName(n.strip())) {
        throw ApiException.badRequest("query parameter 'nodes': '" + n + "' is not a node name");
      }
    }
    installed(module);
    requireRcmdUser();
    WizardCli.Run run =
        WizardCli.run(
            services.cli(),
            ModulesResource.caller(security),
            List.of("-H", nodes.replace(" ", ""), "-E", module));
    return servers(run);
  }

  /** The servers' sections, or a 409 with the command's own error when no server was tried. */
  private static List<WizardCli.ServerResult> servers(WizardCli.Run run) {
    List<WizardCli.ServerResult> servers = WizardCli.servers(run.output());
    if (servers.isEmpty()) {
      String text = run.output().strip();
      if (text.startsWith("Error: ")) {
        text = text.substring("Error: ".length());
      }
      throw new ApiException(409, run.command() + ": " + (text.isEmpty() ? "failed" : text));
    }
    return servers;
  }

  /**
   * A 409 before anything is applied when this node cannot run distributed commands: else the
   * cluster.xml would be applied here and nowhere else.
   */
  private void requireRcmdUser() {
    RcmdCredentials rcmd = new RcmdCredentials(WebConf.directory(services.env()));
    if (!Files.isRegularFile(rcmd.file())) {
      throw new ApiException(
          409,
          "no distributed-command user on this node: set the same password on every node with"
              + " 'safekit webservercfg -rcmdpasswd <password>', then apply again");
    }
  }

  private Path installed(String module) {
    requireName("module", module);
    Path dir = services.env().directories().modules().resolve(module);
    if (!Files.isDirectory(dir)) {
      throw ApiException.notFound("module " + module + " is not installed");
    }
    return dir;
  }

  private static void requireName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("query parameter '" + what + "' is missing");
    }
    if (!Params.isModuleName(name)) {
      throw ApiException.badRequest(
          what + " '" + name + "' may hold letters, digits, '_' and '-' only (64 at most)");
    }
  }

  private static JsonNode json(InputStream body) {
    byte[] bytes = Bodies.read(body);
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the body cannot be read: " + e.getMessage());
    }
    if (json == null || !json.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return json;
  }

  private static List<String> strings(JsonNode json, String field) {
    JsonNode array = json.get(field);
    if (array == null || !array.isArray()) {
      throw ApiException.badRequest("'" + field + "' is missing or not an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode a : array) {
      if (!a.isTextual()) {
        throw ApiException.badRequest("'" + field + "' must hold strings only, not " + a);
      }
      values.add(a.asText().strip());
    }
    return values;
  }
}
