package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The OpenAPI 3.0 description of the REST API, built from the resource classes themselves: their
 * JAX-RS annotations give the paths, methods, parameters and media types ({@link ResourceMethod}),
 * {@link Allow} the role, the return types the answer schemas ({@link Schemas}), {@link ApiDoc} the
 * words ({@link Operations}, {@link ApiResponses}). Generated from the code, so that it cannot
 * drift from it (CXF's own OpenAPI feature is not available for CXF 3.6 here). This class writes
 * the document around the operations: info, server, paths, components and security schemes.
 */
final class OpenApi {
  /** The version of OpenAPI written. */
  static final String OPENAPI = "3.0.3";

  private static final ObjectMapper JSON = RestApi.mapper();

  private OpenApi() {}

  /** The description of {@code resources}, served at {@code base}, for a node of this version. */
  static ObjectNode document(List<Class<?>> resources, String base, String version) {
    ObjectNode schemas = JSON.createObjectNode();
    Schemas types = new Schemas(schemas);
    Operations operations = new Operations(types);
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", OPENAPI);
    ObjectNode info = doc.putObject("info");
    info.put("title", "Bulwark REST API");
    info.put("version", version);
    info.put(
        "description",
        "The API of one node (spec G.5): the same services as the safekit command. Errors are"
            + " RFC 9457 problem documents. Any node of the cluster is reachable through this one"
            + " at /nodes/{node}/….");
    doc.putArray("servers").addObject().put("url", base);
    ObjectNode paths = doc.putObject("paths");
    for (ResourceMethod call : ResourceMethod.of(resources)) {
      ObjectNode item = paths.has(call.path()) ? (ObjectNode) paths.get(call.path()) : null;
      if (item == null) {
        item = paths.putObject(call.path());
      }
      item.set(call.verb(), operations.describe(call));
    }
    ObjectNode components = doc.putObject("components");
    types.schema(Problem.class);
    components.set("schemas", sorted(schemas));
    components.set("securitySchemes", securitySchemes());
    return doc;
  }

  /** The three ways a caller proves its role (docs/api.md). */
  private static ObjectNode securitySchemes() {
    ObjectNode security = JSON.createObjectNode();
    security.putObject("basic").put("type", "http").put("scheme", "basic");
    security
        .putObject("bearer")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "an API key: POST /apikey/{role}/{name}");
    security
        .putObject("session")
        .put("type", "apiKey")
        .put("in", "cookie")
        .put("name", "sessionSK")
        .put("description", "the console's session: POST /login");
    return security;
  }

  private static ObjectNode sorted(ObjectNode node) {
    ObjectNode out = JSON.createObjectNode();
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    new TreeSet<>(names).forEach(name -> out.set(name, node.get(name)));
    return out;
  }
}
