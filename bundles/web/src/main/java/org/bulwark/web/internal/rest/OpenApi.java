package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DELETE;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/**
 * The OpenAPI 3.0 description of the REST API, built from the resource classes themselves: their
 * JAX-RS annotations give the paths, methods, parameters and media types, {@link Allow} the role,
 * the return types the answer schemas, {@link ApiDoc} the words. Generated from the code, so that
 * it cannot drift from it (CXF's own OpenAPI feature is not available for CXF 3.6 here).
 */
final class OpenApi {
  /** The version of OpenAPI written. */
  static final String OPENAPI = "3.0.3";

  private static final ObjectMapper JSON = RestApi.mapper();
  private static final List<Class<? extends Annotation>> VERBS =
      List.of(GET.class, POST.class, PUT.class, DELETE.class);

  /** Parameters that mean the same in every call. */
  private static final Map<String, String> COMMON = Map.of("module", "the module name (AM)");

  private final ObjectNode schemas = JSON.createObjectNode();
  private final Schemas types = new Schemas(schemas);

  private OpenApi() {}

  /** The description of {@code resources}, served at {@code base}, for a node of this version. */
  static ObjectNode document(List<Class<?>> resources, String base, String version) {
    return new OpenApi().build(resources, base, version);
  }

  private ObjectNode build(List<Class<?>> resources, String base, String version) {
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
    List<Operation> operations = new ArrayList<>();
    for (Class<?> resource : resources) {
      for (Method m : resource.getMethods()) {
        verb(m).ifPresent(v -> operations.add(new Operation(resource, m, v)));
      }
    }
    operations.sort(Comparator.comparing(Operation::path).thenComparing(o -> order(o.verb())));
    for (Operation o : operations) {
      ObjectNode item = paths.has(o.path()) ? (ObjectNode) paths.get(o.path()) : null;
      if (item == null) {
        item = paths.putObject(o.path());
      }
      item.set(o.verb(), operation(o));
    }
    ObjectNode components = doc.putObject("components");
    types.schema(Problem.class);
    components.set("schemas", sorted(schemas));
    ObjectNode security = components.putObject("securitySchemes");
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
    return doc;
  }

  private record Operation(Class<?> resource, Method method, String verb) {
    String path() {
      return OpenApi.path(resource, method);
    }
  }

  private static int order(String verb) {
    return List.of("get", "post", "put", "delete").indexOf(verb);
  }

  private static java.util.Optional<String> verb(Method m) {
    return VERBS.stream()
        .filter(m::isAnnotationPresent)
        .map(a -> a.getSimpleName().toLowerCase(Locale.ROOT))
        .findFirst();
  }

  /** The OpenAPI path of a resource method: {@code /modules/{module}/log}. */
  static String path(Class<?> resource, Method method) {
    StringBuilder path = new StringBuilder();
    for (Path p :
        new Path[] {resource.getAnnotation(Path.class), method.getAnnotation(Path.class)}) {
      if (p != null) {
        path.append('/').append(p.value());
      }
    }
    // a template's regular expression is not part of an OpenAPI path: {path: .+} is {path}
    String clean = path.toString().replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    clean = clean.replaceAll("/+", "/");
    if (clean.length() > 1 && clean.endsWith("/")) {
      clean = clean.substring(0, clean.length() - 1);
    }
    return clean.isEmpty() ? "/" : clean;
  }

  private ObjectNode operation(Operation o) {
    Method m = o.method();
    ApiDoc doc = m.getAnnotation(ApiDoc.class);
    Allow allow = m.getAnnotation(Allow.class);
    ObjectNode op = JSON.createObjectNode();
    op.putArray("tags").add(tag(o.resource()));
    op.put("operationId", operationId(o));
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
      op.set("requestBody", requestBody(o, doc, form, body));
    }
    op.set("responses", responses(o, doc, allow != null));
    return op;
  }

  private static String tag(Class<?> resource) {
    return resource.getSimpleName().replace("Resource", "");
  }

  private static String operationId(Operation o) {
    String name = o.method().getName();
    return tag(o.resource()).substring(0, 1).toLowerCase(Locale.ROOT)
        + tag(o.resource()).substring(1)
        + Character.toUpperCase(name.charAt(0))
        + name.substring(1);
  }

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

  private ObjectNode requestBody(
      Operation o, ApiDoc doc, Map<String, String> form, Parameter body) {
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
    Consumes consumes = o.method().getAnnotation(Consumes.class);
    String[] media =
        consumes != null ? consumes.value() : new String[] {MediaType.APPLICATION_OCTET_STREAM};
    for (String type : media) {
      content.putObject(type).set("schema", types.schema(body.getParameterizedType()));
    }
    return request;
  }

  private ObjectNode responses(Operation o, ApiDoc doc, boolean withRole) {
    Method m = o.method();
    ObjectNode responses = JSON.createObjectNode();
    Class<?> returned = m.getReturnType();
    int status =
        doc != null && doc.status() != 0 ? doc.status() : returned == void.class ? 204 : 200;
    ObjectNode ok = responses.putObject(Integer.toString(status));
    ok.put("description", reason(status));
    java.lang.reflect.Type shape =
        returned == Response.class
            ? (doc != null && doc.returns() != Void.class ? doc.returns() : null)
            : returned == void.class ? null : m.getGenericReturnType();
    if (status != 204) {
      ObjectNode content = ok.putObject("content");
      for (String type : produces(o)) {
        ObjectNode media = content.putObject(type);
        if (shape != null) {
          media.set("schema", types.schema(shape));
        } else {
          media.set(
              "schema", JSON.createObjectNode().put("type", "string").put("format", "binary"));
        }
      }
    }
    TreeSet<Integer> errors = new TreeSet<>();
    if (doc != null) {
      Arrays.stream(doc.errors()).forEach(errors::add);
    }
    if (withRole) {
      errors.add(401);
      errors.add(403);
    }
    if (path(o.resource(), m).contains("{module}")) {
      errors.add(404);
    }
    for (int e : errors) {
      ObjectNode r = responses.putObject(Integer.toString(e));
      r.put("description", reason(e) + ": " + why(e));
      r.putObject("content")
          .putObject(Problem.MEDIA_TYPE)
          .putObject("schema")
          .put("$ref", "#/components/schemas/Problem");
    }
    return responses;
  }

  private static List<String> produces(Operation o) {
    Produces p = o.method().getAnnotation(Produces.class);
    if (p == null) {
      p = o.resource().getAnnotation(Produces.class);
    }
    return p == null ? List.of("*/*") : List.of(p.value());
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

  private static ObjectNode sorted(ObjectNode node) {
    ObjectNode out = JSON.createObjectNode();
    new TreeSet<>(iterable(node)).forEach(name -> out.set(name, node.get(name)));
    return out;
  }

  private static List<String> iterable(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
