package org.bulwark.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * Macros (spec B.2): every {@code %ID%} is replaced by the value of {@code <macro name="ID">}, else
 * by the environment variable ID; a macro wins over a variable of the same name. In an attribute,
 * an {@code %ID%} that is neither is an error; in rule text it is left as written.
 */
final class Macros {

  private static final Pattern REFERENCE = Pattern.compile("%([A-Za-z_][A-Za-z0-9_]*)%");

  private final Map<String, String> macros = new LinkedHashMap<>();
  private final Map<String, String> environment;
  private final Problems problems;

  private Macros(Map<String, String> environment, Problems problems) {
    this.environment = environment;
    this.problems = problems;
  }

  /** Collects the {@code <macro>}s of {@code root} and expands every other attribute. */
  static Macros expand(XmlElement root, Map<String, String> environment, Problems problems) {
    Macros macros = new Macros(environment, problems);
    Map<String, XmlElement> first = new LinkedHashMap<>();
    for (XmlElement macro : root.children("macro")) {
      XmlAttribute name = macro.attribute("name");
      XmlAttribute value = macro.attribute("value");
      if (name == null || value == null) {
        continue; // the structure check reports it
      }
      String id = name.value().trim();
      XmlElement previous = first.putIfAbsent(id, macro);
      if (previous != null) {
        problems.at(name, "macro '" + id + "' is already defined at line " + previous.line());
      } else {
        macros.macros.put(id, value.value());
      }
    }
    macros.expandAttributes(root);
    return macros;
  }

  /** The definitions, in file order. */
  Map<String, String> definitions() {
    return macros;
  }

  /** Expands rule text, leaving unknown references as written. */
  String expandText(String text) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = lookup(matcher.group(1));
      matcher.appendReplacement(
          out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private void expandAttributes(XmlElement element) {
    if (!element.name().equals("macro")) {
      for (XmlAttribute attribute : element.attributes().values()) {
        expand(attribute);
      }
    }
    for (XmlElement child : element.children()) {
      expandAttributes(child);
    }
  }

  private void expand(XmlAttribute attribute) {
    String raw = attribute.raw();
    if (raw.indexOf('%') < 0) {
      return;
    }
    Matcher matcher = REFERENCE.matcher(raw);
    StringBuilder out = new StringBuilder();
    String firstMacro = null;
    while (matcher.find()) {
      String id = matcher.group(1);
      String value = lookup(id);
      if (value == null) {
        problems.at(
            attribute,
            "undefined macro %"
                + id
                + "%: no <macro name=\""
                + id
                + "\"> and no environment variable "
                + id,
            Suggest.didYouMean(id, macros.keySet()));
        return;
      }
      if (firstMacro == null && macros.containsKey(id)) {
        firstMacro = id;
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    attribute.expand(out.toString(), firstMacro);
  }

  private String lookup(String id) {
    String value = macros.get(id);
    return value != null ? value : environment.get(id);
  }
}
