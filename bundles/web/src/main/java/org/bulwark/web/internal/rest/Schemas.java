package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * JSON schemas of the API's Java types, as Jackson writes them: records become named schemas in
 * {@code components.schemas} (their components in order, the primitive ones required), lists
 * arrays, maps objects, enums strings with their values, {@link Instant} a date-time.
 */
final class Schemas {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Names of records whose simple name says too little. */
  private static final Map<Class<?>, String> NAMES =
      Map.of(CliCall.Result.class, "CommandResult", ClusterResource.Check.class, "ClusterCheck");

  private final ObjectNode components;

  Schemas(ObjectNode components) {
    this.components = components;
  }

  /** The schema of {@code type}, adding the named schemas it needs to the components. */
  ObjectNode schema(Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode array = NODES.objectNode().put("type", "array");
        array.set("items", schema(args[0]));
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = NODES.objectNode().put("type", "object");
        map.set("additionalProperties", schema(args[1]));
        return map;
      }
      return schema(raw);
    }
    if (!(type instanceof Class<?> c)) {
      return NODES.objectNode();
    }
    if (c == String.class || c == char.class) {
      return NODES.objectNode().put("type", "string");
    }
    if (c == int.class || c == Integer.class) {
      return NODES.objectNode().put("type", "integer").put("format", "int32");
    }
    if (c == long.class || c == Long.class) {
      return NODES.objectNode().put("type", "integer").put("format", "int64");
    }
    if (c == boolean.class || c == Boolean.class) {
      return NODES.objectNode().put("type", "boolean");
    }
    if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
      return NODES.objectNode().put("type", "number");
    }
    if (c == Instant.class) {
      return NODES.objectNode().put("type", "string").put("format", "date-time");
    }
    if (c.isArray() && c != byte[].class) {
      ObjectNode array = NODES.objectNode().put("type", "array");
      array.set("items", schema(c.getComponentType()));
      return array;
    }
    if (c == byte[].class || InputStream.class.isAssignableFrom(c)) {
      return NODES.objectNode().put("type", "string").put("format", "binary");
    }
    if (c.isEnum()) {
      ObjectNode e = NODES.objectNode().put("type", "string");
      var values = e.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(label(c, constant));
      }
      return e;
    }
    if (c == Object.class) {
      return NODES.objectNode();
    }
    if (c.isRecord()) {
      String name = NAMES.getOrDefault(c, c.getSimpleName());
      if (!components.has(name)) {
        ObjectNode record = NODES.objectNode().put("type", "object");
        components.set(name, record); // before the components, for a record that nests itself
        ObjectNode properties = record.putObject("properties");
        var required = NODES.arrayNode();
        for (RecordComponent rc : c.getRecordComponents()) {
          properties.set(rc.getName(), schema(rc.getGenericType()));
          if (rc.getType().isPrimitive()) {
            required.add(rc.getName());
          }
        }
        if (!required.isEmpty()) {
          record.set("required", required);
        }
      }
      return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }
    return NODES.objectNode().put("type", "object");
  }

  /** An enum constant as Jackson writes it: its {@link JsonValue} method's answer, or its name. */
  private static String label(Class<?> type, Object constant) {
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
        try {
          return String.valueOf(m.invoke(constant));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return ((Enum<?>) constant).name();
  }
}
