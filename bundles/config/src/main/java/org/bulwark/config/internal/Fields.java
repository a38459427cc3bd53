package org.bulwark.config.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.bulwark.config.internal.schema.AttributeDecl;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.xml.Blank;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * Typed reads of one element's attributes, with the XSD defaults applied. A value already reported
 * as invalid reads as its default (or zero, empty): the result is discarded anyway, and builders
 * must not fail on it.
 */
final class Fields {

  private final XmlElement element;
  private final ElementType type;
  private final Problems problems;

  Fields(XmlElement element, ElementType type, Problems problems) {
    this.element = element;
    this.type = type;
    this.problems = problems;
  }

  XmlElement element() {
    return element;
  }

  /** Free text keeps its spaces; every other value is trimmed. */
  static String normalise(String value, AttributeDecl decl) {
    boolean freeText =
        decl.type().base().equals("string")
            && decl.type().minLength() == 0
            && decl.type().enumeration().isEmpty()
            && decl.type().pattern() == null;
    return freeText ? value : Blank.strip(value);
  }

  /** Whether the attribute is present and valid. */
  boolean has(String name) {
    XmlAttribute attribute = element.attribute(name);
    return attribute != null && !problems.isInvalid(attribute);
  }

  XmlAttribute attribute(String name) {
    return element.attribute(name);
  }

  /** The value, else the XSD default, else "". */
  String text(String name) {
    return optional(name).orElse("");
  }

  Optional<String> optional(String name) {
    AttributeDecl decl = decl(name);
    if (has(name)) {
      return Optional.of(normalise(element.attribute(name).value(), decl));
    }
    return Optional.ofNullable(decl.defaultValue());
  }

  int integer(String name) {
    return (int) longValue(name);
  }

  long longValue(String name) {
    Optional<String> value = optional(name);
    try {
      return value.map(Long::parseLong).orElse(0L);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  OptionalInt optionalInt(String name) {
    return optional(name).isPresent() ? OptionalInt.of(integer(name)) : OptionalInt.empty();
  }

  OptionalLong optionalLong(String name) {
    return optional(name).isPresent() ? OptionalLong.of(longValue(name)) : OptionalLong.empty();
  }

  /** {@code on}/{@code yes} are true. */
  boolean flag(String name) {
    String value = text(name);
    return value.equals("on") || value.equals("yes");
  }

  Duration time(String name) {
    return time(name, Duration.ZERO);
  }

  Duration time(String name, Duration fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    AttributeDecl decl = decl(name);
    Duration parsed = TimeValue.parse(value.get(), decl.unit(), name).duration();
    return parsed == null ? fallback : parsed;
  }

  <E extends Enum<E>> E choice(String name, Class<E> enumType, E fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Enum.valueOf(enumType, value.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  private AttributeDecl decl(String name) {
    AttributeDecl decl = type.attributes().get(name);
    if (decl == null) {
      throw new IllegalArgumentException("no attribute " + name + " in " + type.name());
    }
    return decl;
  }
}
