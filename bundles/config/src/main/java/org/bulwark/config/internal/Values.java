package org.bulwark.config.internal;

import org.bulwark.config.internal.schema.AttributeDecl;
import org.bulwark.config.internal.schema.SimpleType;

/** Checks one attribute value against its XSD simple type; returns the message or null. */
final class Values {

  private Values() {}

  static String check(String value, AttributeDecl decl, String element) {
    SimpleType type = decl.type();
    String what = "for attribute '" + decl.name() + "' of <" + element + ">";
    if (type.time()) {
      return TimeValue.parse(value, decl.unit(), decl.name()).error();
    }
    if (!type.enumeration().isEmpty()) {
      return type.enumeration().contains(value)
          ? null
          : "invalid value '"
              + value
              + "' "
              + what
              + "; expected one of: "
              + String.join(", ", type.enumeration());
    }
    if (type.numeric()) {
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException e) {
        return "invalid value '" + value + "' " + what + "; expected " + range(type);
      }
      long min = type.minInclusive() == null ? Integer.MIN_VALUE : type.minInclusive();
      long max =
          type.maxInclusive() == null
              ? (type.base().equals("int") ? Integer.MAX_VALUE : Long.MAX_VALUE)
              : type.maxInclusive();
      return number < min || number > max
          ? "invalid value '" + value + "' " + what + "; expected " + range(type)
          : null;
    }
    if (type.minLength() > 0 && value.isEmpty()) {
      return "empty value " + what;
    }
    if (type.pattern() != null && !type.pattern().matcher(value).matches()) {
      return "invalid value '" + value + "' " + what + "; expected " + type.doc();
    }
    return null;
  }

  private static String range(SimpleType type) {
    if (type.minInclusive() != null && type.maxInclusive() != null) {
      return "an integer between " + type.minInclusive() + " and " + type.maxInclusive();
    }
    if (type.minInclusive() != null) {
      return "an integer >= " + type.minInclusive();
    }
    return "an integer";
  }
}
