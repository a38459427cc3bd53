package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * {@code GET /openapi.json}: the OpenAPI description of this API, built once from the resource
 * classes (see {@link OpenApi}). Anonymous, as SafeKit's Swagger UI page is: it describes the
 * calls, it gives none.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenApiResource {
  /** Where the API is for a browser: CXF's servlet and the endpoint. */
  static final String BASE = "/api" + RestApi.ADDRESS;

  private final ObjectNode document;

  OpenApiResource(List<Class<?>> resources, String version) {
    List<Class<?>> all = new ArrayList<>(resources);
    all.add(OpenApiResource.class);
    this.document = OpenApi.document(all, BASE, version);
  }

  @GET
  @Path("openapi.json")
  @Anonymous
  @ApiDoc("This description, in OpenAPI 3.0 (Swagger UI at /swagger-ui reads it)")
  public ObjectNode openapi() {
    return document;
  }
}
