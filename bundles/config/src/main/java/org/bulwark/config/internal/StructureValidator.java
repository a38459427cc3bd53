package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.config.internal.schema.AttributeDecl;
import org.bulwark.config.internal.schema.ChildDecl;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.schema.Schema;
import org.bulwark.config.internal.xml.Blank;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * Checks a document against its XSD catalogue (issue 3 item 4): unknown elements and attributes
 * (with "did you mean"), missing required ones, element counts, attribute values against their
 * simple types, stray text. Returns the element type of every element it recognised, for the
 * builders to read defaults from.
 */
final class StructureValidator {

  private final Schema schema;
  private final Problems problems;
  private final Map<XmlElement, ElementType> types = new IdentityHashMap<>();

  StructureValidator(Schema schema, Problems problems) {
    this.schema = schema;
    this.problems = problems;
  }

  Map<XmlElement, ElementType> validate(XmlElement root) {
    if (!root.name().equals(schema.rootName())) {
      problems.at(
          root,
          "the root element must be <" + schema.rootName() + ">, not <" + root.name() + ">",
          Suggest.didYouMean(root.name(), List.of(schema.rootName())));
      return types;
    }
    check(root, schema.root());
    return types;
  }

  private void check(XmlElement element, ElementType type) {
    types.put(element, type);
    checkAttributes(element, type);
    checkText(element, type);
    List<String> allowed = type.children().stream().map(ChildDecl::name).toList();
    for (XmlElement child : element.children()) {
      ChildDecl decl = type.child(child.name());
      if (decl == null) {
        unknownElement(element, child, allowed);
      } else {
        check(child, schema.type(decl));
      }
    }
    for (ChildDecl decl : type.children()) {
      List<XmlElement> present = element.children(decl.name());
      if (present.size() < decl.min() && !problems.wasMisspelt(element, decl.name())) {
        problems.at(
            element,
            "missing element <"
                + decl.name()
                + "> in <"
                + element.name()
                + ">"
                + (decl.min() > 1 ? " (at least " + decl.min() + " expected)" : ""));
      }
      if (decl.max() >= 0 && present.size() > decl.max()) {
        problems.at(
            present.get(decl.max()),
            "element <"
                + decl.name()
                + "> may appear "
                + (decl.max() == 1 ? "only once" : "at most " + decl.max() + " times")
                + " in <"
                + element.name()
                + ">");
      }
    }
  }

  private void unknownElement(XmlElement parent, XmlElement child, List<String> allowed) {
    if (allowed.isEmpty()) {
      problems.at(
          child,
          "unknown element <" + child.name() + ">: <" + parent.name() + "> has no child elements");
      return;
    }
    String closest = Suggest.closest(child.name(), allowed);
    if (closest != null) {
      problems.misspelt(parent, closest);
    }
    List<String> tags = new ArrayList<>();
    allowed.forEach(name -> tags.add("<" + name + ">"));
    problems.at(
        child,
        "unknown element <"
            + child.name()
            + "> in <"
            + parent.name()
            + ">; expected one of: "
            + String.join(", ", tags),
        Suggest.didYouMean(child.name(), allowed));
  }

  private void checkAttributes(XmlElement element, ElementType type) {
    for (XmlAttribute attribute : element.attributes().values()) {
      AttributeDecl decl = type.attributes().get(attribute.name());
      if (decl == null) {
        problems.at(
            attribute,
            "unknown attribute '"
                + attribute.name()
                + "' on <"
                + element.name()
                + ">; expected one of: "
                + String.join(", ", type.attributes().keySet()),
            Suggest.didYouMean(attribute.name(), type.attributes().keySet()));
        continue;
      }
      if (decl.legacy() || problems.isInvalid(attribute)) {
        continue; // ignored, or already reported (an undefined macro)
      }
      String error = Values.check(Fields.normalise(attribute.value(), decl), decl, element.name());
      if (error != null) {
        problems.at(
            attribute,
            error,
            Suggest.didYouMean(attribute.value().trim(), decl.type().enumeration()));
      }
    }
    for (AttributeDecl decl : type.attributes().values()) {
      if (decl.required() && element.attribute(decl.name()) == null) {
        problems.at(
            element,
            "missing required attribute '" + decl.name() + "' on <" + element.name() + ">");
      }
    }
  }

  private void checkText(XmlElement element, ElementType type) {
    if (type.mixed()) {
      return;
    }
    for (XmlElement.TextBlock text : element.texts()) {
      if (!Blank.isBlank(text.text())) {
        String shown = Blank.strip(text.text());
        shown = shown.length() > 20 ? shown.substring(0, 20) + "…" : shown;
        problems.at(
            text.line(),
            text.column(),
            element.path(),
            "unexpected text '" + shown + "' in <" + element.name() + ">",
            null);
      }
    }
  }
}
