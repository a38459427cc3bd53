package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.TreeSet;
import javax.ws.rs.core.Response;

/**
 * The {@code responses} of an operation in the OpenAPI description: the success status with the
 * answer's schema in each media type produced, then every problem status the call can answer (RFC
 * 9457 documents), each with when the API answers it (docs/api.md).
 */
final class ApiResponses {
  private static final ObjectMapper JSON = RestApi.mapper();

  private final Schemas types;

  ApiResponses(Schemas types) {
    this.types = types;
  }

  /** The responses of {@code call}; {@code withRole}: it needs a role, so 401 and 403 apply. */
  ObjectNode of(ResourceMethod call, ApiDoc doc, boolean withRole) {
    Method m = call.method();
    ObjectNode responses = JSON.createObjectNode();
    Class<?> returned = m.getReturnType();
    int status =
        doc != null && doc.status() != 0 ? doc.status() : returned == void.class ? 204 : 200;
    ObjectNode ok = responses.putObject(Integer.toString(status));
    ok.put("description", reason(status));
    Type shape =
        returned == Response.class
            ? (doc != null && doc.returns() != Void.class ? doc.returns() : null)
            : returned == void.class ? null : m.getGenericReturnType();
    if (status != 204) {
      ObjectNode content = ok.putObject("content");
      for (String type : call.produces()) {
        ObjectNode media = content.putObject(type);
        if (shape != null) {
          media.set("schema", types.schema(shape));
        } else {
          media.set(
              "schema", JSON.createObjectNode().put("type", "string").put("format", "binary"));
        }
      }
    }
    for (int e : problems(call, doc, withRole)) {
      ObjectNode r = responses.putObject(Integer.toString(e));
      r.put("description", reason(e) + ": " + why(e));
      r.putObject("content")
          .putObject(Problem.MEDIA_TYPE)
          .putObject("schema")
          .put("$ref", "#/components/schemas/Problem");
    }
    return responses;
  }

  /** The call's own problem statuses, those of a role, 404 for a path that names a module. */
  private static TreeSet<Integer> problems(ResourceMethod call, ApiDoc doc, boolean withRole) {
    TreeSet<Integer> errors = new TreeSet<>();
    if (doc != null) {
      Arrays.stream(doc.errors()).forEach(errors::add);
    }
    if (withRole) {
      errors.add(401);
      errors.add(403);
    }
    if (call.path().contains("{module}")) {
      errors.add(404);
    }
    return errors;
  }

  private static String reason(int status) {
    return Problem.of(status, "").title();
  }

  /** When the API answers each problem status (docs/api.md). */
  private static String why(int status) {
    return switch (status) {
      case 400 -> "bad input; the detail names the parameter";
      case 401 -> "no credentials, wrong ones, or no user set on the node yet";
      case 403 -> "the caller's role is too low; the detail names the role needed";
      case 404 -> "unknown module, or what the path names does not exist";
      case 409 -> "the command ran and was refused; the detail is its message";
      case 413 -> "the body is too large";
      case 429 -> "too many failed logins from this address";
      case 502 -> "the node does not answer";
      case 503 -> "the service cannot answer now; retry later";
      default -> "see the detail";
    };
  }
}
