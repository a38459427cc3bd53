package org.bulwark.web.internal.rest;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.web.internal.auth.Role;

/** The cluster configuration (spec A.3, F.2): its information, its state, checking a new one. */
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public final class ClusterResource {
  private final ApiServices services;

  ClusterResource(ApiServices services) {
    this.services = services;
  }

  /** {@code GET /cluster}: {@code safekit cluster confinfo}. */
  @GET
  @ApiDoc(value = "The applied cluster configuration (safekit cluster confinfo)", errors = 409)
  @Allow(Role.MONITOR)
  public CliCall.Result info(@Context SecurityContext security) {
    return CliCall.run(
        services.cli(), ModulesResource.caller(security), List.of("cluster", "confinfo"));
  }

  /** {@code GET /cluster/state}: {@code safekit cluster state}. */
  @GET
  @Path("state")
  @ApiDoc(
      value = "The state of every node and module of the cluster (safekit cluster state)",
      errors = 409)
  @Allow(Role.MONITOR)
  public CliCall.Result state(@Context SecurityContext security) {
    return CliCall.run(
        services.cli(), ModulesResource.caller(security), List.of("cluster", "state"));
  }

  /**
   * {@code POST /cluster/config} with a {@code cluster.xml} body: validates and applies it on this
   * node ({@code safekit cluster config}); an invalid file is refused (409) with its errors.
   */
  @POST
  @Path("config")
  @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML})
  @ApiDoc(
      value = "Validates and applies a cluster.xml on this node (safekit cluster config)",
      body = "the cluster.xml",
      errors = {400, 409, 413, 415})
  @Allow(Role.ADMIN)
  public CliCall.Result config(InputStream body, @Context SecurityContext security) {
    byte[] xml = Bodies.read(body);
    if (xml.length == 0) {
      throw ApiException.badRequest("the body must be a cluster.xml");
    }
    return TempDirectory.with(
        dir -> {
          java.nio.file.Path file = dir.resolve("cluster.xml");
          Files.write(file, xml);
          return CliCall.run(
              services.cli(),
              ModulesResource.caller(security),
              List.of("cluster", "config", file.toString()),
              file,
              "cluster.xml");
        });
  }

  /**
   * The outcome of a check.
   *
   * @param valid whether the configuration may be applied
   * @param errors every error, at its line and column
   */
  public record Check(boolean valid, List<ConfigurationError> errors) {}

  /**
   * {@code POST /cluster/check} with a {@code cluster.xml} body: validates it without applying it,
   * as {@code safekit cluster confcheck}; an invalid file is a successful check listing its errors.
   */
  @POST
  @Path("check")
  @Consumes({MediaType.APPLICATION_XML, MediaType.TEXT_XML})
  @ApiDoc(
      value = "Validates a cluster.xml without applying it (safekit cluster confcheck)",
      description = "An invalid file is a successful check that lists its errors.",
      body = "the cluster.xml",
      errors = {400, 413, 415})
  @Allow(Role.ADMIN)
  public Check check(InputStream body) {
    byte[] xml = Bodies.read(body);
    if (xml.length == 0) {
      throw ApiException.badRequest("the body must be a cluster.xml");
    }
    ConfigResult<?> result = services.config().parseCluster("cluster.xml", xml);
    return new Check(result.errors().isEmpty(), result.errors());
  }
}
