package org.bulwark.config.internal.schema;

import java.util.List;
import java.util.Map;

/**
 * An XSD complex type: the allowed children (with counts) and attributes, and whether text is
 * allowed ({@code mixed}).
 */
public record ElementType(
    String name, List<ChildDecl> children, Map<String, AttributeDecl> attributes, boolean mixed) {

  public ElementType {
    children = List.copyOf(children);
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  /** The child declaration of that name, or null. */
  public ChildDecl child(String childName) {
    for (ChildDecl child : children) {
      if (child.name().equals(childName)) {
        return child;
      }
    }
    return null;
  }
}
