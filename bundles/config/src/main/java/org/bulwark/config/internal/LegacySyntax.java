package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * The syntax of before 7.2 (spec B.0): {@code <heartbeat><server addr/>}, {@code
 * <farm><lan><node/>}, {@code <rfs><flow><server/>} list the nodes' addresses instead of naming a
 * cluster lan. Still read, but one file uses one syntax or the other, never both.
 */
final class LegacySyntax {

  private final Problems problems;
  private XmlElement firstModern;
  private XmlElement firstLegacy;

  LegacySyntax(Problems problems) {
    this.problems = problems;
  }

  /**
   * Checks an element that either has {@code name} or lists {@code child} elements, and returns the
   * fields of those children (empty in the 7.2 syntax).
   */
  List<Fields> children(BuildContext ctx, Fields fields, String child) {
    XmlElement element = fields.element();
    List<XmlElement> legacy = element.children(child);
    boolean named = fields.attribute("name") != null;
    List<Fields> found = new ArrayList<>();
    if (legacy.isEmpty() && !named) {
      problems.at(element, "missing required attribute 'name' on <" + element.name() + ">");
    } else if (!legacy.isEmpty() && named) {
      problems.at(
          legacy.get(0),
          "<"
              + child
              + "> belongs to the syntax of before 7.2 and "
              + "cannot be combined with name=\""
              + fields.attribute("name").value().trim()
              + "\"",
          "remove the <" + child + "> elements");
    } else if (!legacy.isEmpty()) {
      if (firstModern != null) {
        problems.at(
            legacy.get(0),
            "the syntax of before 7.2 (<"
                + child
                + ">) cannot be mixed "
                + "with the 7.2 syntax (<"
                + firstModern.name()
                + " name>, line "
                + firstModern.line()
                + ") in one file");
      }
      firstLegacy = firstLegacy == null ? legacy.get(0) : firstLegacy;
      for (XmlElement each : legacy) {
        Fields f = ctx.fields(each);
        ctx.checkAddress(f, "addr");
        found.add(f);
      }
    } else {
      if (firstLegacy != null) {
        problems.at(
            fields.attribute("name"),
            "the 7.2 syntax (name) cannot be mixed with the "
                + "syntax of before 7.2 (<"
                + firstLegacy.name()
                + ">, line "
                + firstLegacy.line()
                + ") in one file");
      }
      firstModern = firstModern == null ? element : firstModern;
    }
    return found;
  }
}
