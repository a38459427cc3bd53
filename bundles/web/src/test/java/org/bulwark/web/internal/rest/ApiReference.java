package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the OpenAPI description as {@code docs/api-reference.md}: a table of every call, then
 * each call with its parameters, body and answers, then the schemas. Only what the description
 * says: the reference is generated, never written by hand.
 */
final class ApiReference {
  private final JsonNode doc;
  private final StringBuilder out = new StringBuilder();

  private ApiReference(JsonNode doc) {
    this.doc = doc;
  }

  static String markdown(JsonNode openapi) {
    return new ApiReference(openapi).render();
  }

  private record Op(String path, String method, JsonNode node) {
    String tag() {
      return node.path("tags").path(0).asText("Other");
    }

    String title() {
      return method.toUpperCase(Locale.ROOT) + " " + path;
    }
  }

  private String render() {
    String base = doc.path("servers").path(0).path("url").asText();
    line("# REST API reference");
    line("");
    line(
        "<!-- Generated from the OpenAPI description by ApiReferenceTest (bundles/web): do not edit."
            + " Regenerate with: mvn -o test -pl bundles/web -Dtest=ApiReferenceTest"
            + " -Dbulwark.apiref.write=true -->");
    line("");
    line(
        "Every node describes its API in OpenAPI 3.0 at `"
            + base
            + "/openapi.json` and shows it in Swagger UI at `/swagger-ui`. This page is generated"
            + " from that description; [the REST API guide](api.md) explains authentication,"
            + " roles, errors and the server push. Paths are relative to `"
            + base
            + "`. Every error is an RFC 9457 problem document ([Problem](#problem)).");
    line("");
    Map<String, List<Op>> byTag = new LinkedHashMap<>();
    List<Op> all = new ArrayList<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fields()
                    .forEachRemaining(m -> all.add(new Op(p.getKey(), m.getKey(), m.getValue()))));
    all.forEach(o -> byTag.computeIfAbsent(o.tag(), t -> new ArrayList<>()).add(o));
    line("| call | role | what |");
    line("|---|---|---|");
    for (Op o : all) {
      line(
          "| [`"
              + o.title()
              + "`](#"
              + anchor(o.title())
              + ") | "
              + o.node().path("x-role").asText("anonymous")
              + " | "
              + cell(o.node().path("summary").asText())
              + " |");
    }
    for (Map.Entry<String, List<Op>> tag : byTag.entrySet()) {
      line("");
      line("## " + tag.getKey());
      for (Op o : tag.getValue()) {
        operation(o);
      }
    }
    line("");
    line("## Schemas");
    doc.path("components")
        .path("schemas")
        .fields()
        .forEachRemaining(
            s -> {
              line("");
              line("### " + s.getKey());
              line("");
              schemaTable(s.getValue());
            });
    return out.toString();
  }

  private void operation(Op o) {
    JsonNode n = o.node();
    line("");
    line("### " + o.title());
    line("");
    line(n.path("summary").asText() + ".");
    line("");
    line(n.path("description").asText());
    if (n.has("parameters")) {
      line("");
      line("| parameter | in | type | what |");
      line("|---|---|---|---|");
      for (JsonNode p : n.path("parameters")) {
        line(
            "| `"
                + p.path("name").asText()
                + "`"
                + (p.path("required").asBoolean() ? " (required)" : "")
                + " | "
                + p.path("in").asText()
                + " | "
                + type(p.path("schema"))
                + " | "
                + cell(p.path("description").asText())
                + " |");
      }
    }
    if (n.has("requestBody")) {
      JsonNode body = n.path("requestBody");
      line("");
      StringBuilder text = new StringBuilder("Body");
      if (body.has("description")) {
        text.append(": ").append(body.path("description").asText());
      }
      text.append(" (");
      List<String> kinds = new ArrayList<>();
      body.path("content")
          .fields()
          .forEachRemaining(
              c -> kinds.add("`" + c.getKey() + "` " + type(c.getValue().path("schema"))));
      text.append(String.join(", ", kinds)).append(").");
      line(text.toString());
      JsonNode form = body.path("content").path("application/x-www-form-urlencoded").path("schema");
      if (!form.isMissingNode()) {
        line("");
        line("| field | what |");
        line("|---|---|");
        form.path("properties")
            .fields()
            .forEachRemaining(
                f ->
                    line(
                        "| `"
                            + f.getKey()
                            + "` | "
                            + cell(f.getValue().path("description").asText())
                            + " |"));
      }
    }
    line("");
    line("| answer | content | when |");
    line("|---|---|---|");
    n.path("responses")
        .fields()
        .forEachRemaining(
            r -> {
              List<String> kinds = new ArrayList<>();
              r.getValue()
                  .path("content")
                  .fields()
                  .forEachRemaining(
                      c -> kinds.add("`" + c.getKey() + "` " + type(c.getValue().path("schema"))));
              line(
                  "| "
                      + r.getKey()
                      + " | "
                      + (kinds.isEmpty() ? "none" : String.join(", ", kinds))
                      + " | "
                      + cell(r.getValue().path("description").asText())
                      + " |");
            });
  }

  private void schemaTable(JsonNode schema) {
    line("| field | type | required |");
    line("|---|---|---|");
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p ->
                line(
                    "| `"
                        + p.getKey()
                        + "` | "
                        + type(p.getValue())
                        + " | "
                        + (required.contains(p.getKey()) ? "yes" : "")
                        + " |"));
  }

  /** A schema in words: a link for a named one. */
  private static String type(JsonNode s) {
    if (s.has("$ref")) {
      String name = s.path("$ref").asText().replaceFirst(".*/", "");
      return "[" + name + "](#" + anchor(name) + ")";
    }
    String t = s.path("type").asText("any");
    if (t.equals("array")) {
      return "array of " + type(s.path("items"));
    }
    if (t.equals("object") && s.has("additionalProperties")) {
      return "map of " + type(s.path("additionalProperties"));
    }
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      s.path("enum").forEach(v -> values.add(v.asText()));
      return "one of " + String.join(", ", values);
    }
    return s.has("format") ? t + " (" + s.path("format").asText() + ")" : t;
  }

  /** GitHub's anchor of a heading. */
  private static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
