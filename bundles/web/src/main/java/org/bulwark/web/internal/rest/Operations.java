package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;

/**
 * One operation of the OpenAPI description from its resource method: summary and description from
 * {@link ApiDoc}, the role from {@link Allow} (or {@link Anonymous}) with the security schemes that
 * carry it, the path, query and cookie parameters, the request body (a form or the one parameter
 * without annotation) and the responses ({@link ApiResponses}).
 */
final class Operations {
  private static final ObjectMapper JSON = RestApi.mapper();

  /** Parameters that mean the same in every call. */
  private static final Map<String, String> COMMON = Map.of("module", "the module name (AM)");

  private final Schemas types;
  private final ApiResponses responses;

  Operations(Schemas types) {
    this.types = types;
    this.responses = new ApiResponses(types);
  }

  /** The operation object of {@code call}. */
  ObjectNode describe(ResourceMethod call) {
    Method m = call.method();
    ApiDoc doc = m.getAnnotation(ApiDoc.class);
    Allow allow = m.getAnnotation(Allow.class);
    ObjectNode op = JSON.createObjectNode();
    op.putArray("tags").add(call.tag());
    op.put("operationId", call.operationId());
    op.put("summary", doc != null ? doc.value() : m.getName());
    String role =
        allow != null
            ? "Role: " + allow.value().label() + " or more."
            : m.isAnnotationPresent(Anonymous.class) ? "Anonymous." : "Refused to every role.";
    String more = doc != null && !doc.description().isEmpty() ? " " + doc.description() : "";
    op.put("description", role + more);
    if (allow != null) {
      op.put("x-role", allow.value().label());
      ArrayNode security = op.putArray("security");
      security.addObject().putArray("basic");
      security.addObject().putArray("bearer");
      security.addObject().putArray("session");
    } else {
      op.putArray("security");
    }
    Map<String, String> described = descriptions(doc);
    ArrayNode parameters = JSON.createArrayNode();
    Map<String, String> form = new LinkedHashMap<>();
    Parameter body = null;
    for (Parameter p : m.getParameters()) {
      if (p.isAnnotationPresent(Context.class)) {
        continue;
      }
      PathParam path = p.getAnnotation(PathParam.class);
      QueryParam query = p.getAnnotation(QueryParam.class);
      CookieParam cookie = p.getAnnotation(CookieParam.class);
      FormParam field = p.getAnnotation(FormParam.class);
      if (path != null) {
        parameters.add(parameter(path.value(), "path", true, described, p));
      } else if (query != null) {
        parameters.add(parameter(query.value(), "query", false, described, p));
      } else if (cookie != null) {
        parameters.add(parameter(cookie.value(), "cookie", false, described, p));
      } else if (field != null) {
        form.put(field.value(), described.getOrDefault(field.value(), ""));
      } else {
        body = p;
      }
    }
    if (!parameters.isEmpty()) {
      op.set("parameters", parameters);
    }
    if (!form.isEmpty() || body != null) {
      op.set("requestBody", requestBody(call, doc, form, body));
    }
    op.set("responses", responses.of(call, doc, allow != null));
    return op;
  }

  /** The {@code params} of {@link ApiDoc} by parameter name. */
  private static Map<String, String> descriptions(ApiDoc doc) {
    Map<String, String> d = new LinkedHashMap<>();
    if (doc != null) {
      for (String p : doc.params()) {
        int colon = p.indexOf(':');
        if (colon < 0) {
          throw new IllegalStateException("@ApiDoc param without 'name: ': " + p);
        }
        d.put(p.substring(0, colon).strip(), p.substring(colon + 1).strip());
      }
    }
    return d;
  }

  private ObjectNode parameter(
      String name, String in, boolean required, Map<String, String> described, Parameter p) {
    ObjectNode param = JSON.createObjectNode();
    param.put("name", name);
    param.put("in", in);
    String text = described.getOrDefault(name, COMMON.get(name));
    if (text != null) {
      param.put("description", text);
    }
    if (required) {
      param.put("required", true);
    }
    param.set("schema", types.schema(p.getParameterizedType()));
    return param;
  }

  /** A form's fields as string properties, or the body parameter in each media type consumed. */
  private ObjectNode requestBody(
      ResourceMethod call, ApiDoc doc, Map<String, String> form, Parameter body) {
    ObjectNode request = JSON.createObjectNode();
    if (doc != null && !doc.body().isEmpty()) {
      request.put("description", doc.body());
    }
    ObjectNode content = request.putObject("content");
    if (!form.isEmpty()) {
      ObjectNode schema = JSON.createObjectNode().put("type", "object");
      ObjectNode properties = schema.putObject("properties");
      form.forEach(
          (name, text) -> {
            ObjectNode s = properties.putObject(name).put("type", "string");
            if (!text.isEmpty()) {
              s.put("description", text);
            }
          });
      content.putObject(MediaType.APPLICATION_FORM_URLENCODED).set("schema", schema);
      request.put("required", true);
      return request;
    }
    Consumes consumes = call.method().getAnnotation(Consumes.class);
    String[] media =
        consumes != null ? consumes.value() : new String[] {MediaType.APPLICATION_OCTET_STREAM};
    for (String type : media) {
      content.putObject(type).set("schema", types.schema(body.getParameterizedType()));
    }
    return request;
  }
}
