package org.bulwark.config.internal.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An element of a configuration file with the positions of its tag and attributes. Built once by
 * {@link SecureXmlReader}; macro expansion replaces attribute values in place before validation.
 */
public final class XmlElement {

  private final String name;
  private XmlElement parent;
  private final int line;
  private final int column;
  private final Map<String, XmlAttribute> attributes = new LinkedHashMap<>();
  private final List<XmlElement> children = new ArrayList<>();
  private final List<TextBlock> texts = new ArrayList<>();
  private String path;

  XmlElement(String name, XmlElement parent, int line, int column) {
    this.name = name;
    this.parent = parent;
    this.line = line;
    this.column = column;
  }

  public String name() {
    return name;
  }

  public XmlElement parent() {
    return parent;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** Attributes in document order. */
  public Map<String, XmlAttribute> attributes() {
    return Collections.unmodifiableMap(attributes);
  }

  public XmlAttribute attribute(String attributeName) {
    return attributes.get(attributeName);
  }

  public List<XmlElement> children() {
    return Collections.unmodifiableList(children);
  }

  /** Children of that name, in document order. */
  public List<XmlElement> children(String childName) {
    List<XmlElement> named = new ArrayList<>();
    for (XmlElement child : children) {
      if (child.name.equals(childName)) {
        named.add(child);
      }
    }
    return named;
  }

  /** The first child of that name, or null. */
  public XmlElement child(String childName) {
    for (XmlElement child : children) {
      if (child.name.equals(childName)) {
        return child;
      }
    }
    return null;
  }

  /** Text and CDATA content, in document order. */
  public List<TextBlock> texts() {
    return texts;
  }

  /** XPath-like location: {@code /safe/service/heart/heartbeat[2]}. */
  public String path() {
    if (path == null) {
      if (parent == null) {
        path = "/" + name;
      } else {
        List<XmlElement> same = parent.children(name);
        path =
            parent.path()
                + "/"
                + name
                + (same.size() > 1 ? "[" + (same.indexOf(this) + 1) + "]" : "");
      }
    }
    return path;
  }

  void add(XmlAttribute attribute) {
    attributes.put(attribute.name(), attribute);
  }

  void add(XmlElement child) {
    children.add(child);
  }

  /** Makes this element a root (see {@link LeadingMacros}). */
  void detach() {
    parent = null;
    path = null;
  }

  /** Moves {@code moved} to the front of this element's children (see {@link LeadingMacros}). */
  void adoptFirst(java.util.List<XmlElement> moved) {
    for (XmlElement child : moved) {
      child.parent = this;
      child.path = null;
    }
    children.addAll(0, moved);
  }

  void add(TextBlock text) {
    texts.add(text);
  }

  /** One text or CDATA block, with the position where its first non-blank character is. */
  public record TextBlock(String text, int line, int column, boolean cdata) {}
}
