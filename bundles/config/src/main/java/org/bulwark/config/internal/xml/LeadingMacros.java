package org.bulwark.config.internal.xml;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.config.internal.Problems;

/**
 * Official modules sometimes put their {@code <macro>}s between {@code <!DOCTYPE safe>} and {@code
 * <safe>}, and SafeKit accepts it (spec B.2). That is not one XML document, so the bare DOCTYPE is
 * swapped for a wrapper start tag of the same length, and a matching end tag appended: every line
 * and column stays where the administrator sees it. The macros then move into {@code <safe>} as its
 * first children.
 */
final class LeadingMacros {

  static final String WRAPPER = "__bulwark__";
  private static final String DOCTYPE = "<!DOCTYPE safe>";
  private static final String START = "<" + WRAPPER + "  >";

  private LeadingMacros() {}

  /** The wrapped text when macros precede {@code <safe>} after a bare DOCTYPE, else the same. */
  static SourceText wrap(SourceText source) {
    String text = source.text();
    int doctype = text.indexOf(DOCTYPE);
    if (doctype < 0 || !text.substring(0, doctype).isBlank()) {
      return source;
    }
    int next = firstElement(text, doctype + DOCTYPE.length());
    if (next < 0 || !text.startsWith("<macro", next)) {
      return source;
    }
    String wrapped =
        text.substring(0, doctype)
            + START
            + text.substring(doctype + DOCTYPE.length())
            + "</"
            + WRAPPER
            + ">";
    return source.withText(wrapped);
  }

  /** The {@code <safe>} element with the leading macros moved in, or null after reporting. */
  static XmlElement unwrap(XmlElement wrapper, Problems problems) {
    List<XmlElement> macros = new ArrayList<>();
    XmlElement safe = null;
    for (XmlElement child : wrapper.children()) {
      if (child.name().equals("macro") && safe == null) {
        macros.add(child);
      } else if (child.name().equals("safe") && safe == null) {
        safe = child;
      } else {
        problems.at(
            child.line(),
            child.column(),
            "/" + child.name(),
            "only <macro> elements may" + " come before <safe>, and nothing after it",
            null);
      }
    }
    for (XmlElement.TextBlock text : wrapper.texts()) {
      if (!Blank.isBlank(text.text())) {
        problems.at(text.line(), text.column(), "/", "unexpected text outside <safe>", null);
      }
    }
    if (safe == null) {
      problems.at(1, 1, "/", "missing element <safe> after the macros", null);
      return null;
    }
    safe.detach();
    safe.adoptFirst(macros);
    return safe;
  }

  /** Offset of the next element start tag, skipping blanks and comments; -1 if none. */
  private static int firstElement(String text, int from) {
    int i = from;
    while (i < text.length()) {
      if (Blank.isBlank(text.charAt(i))) {
        i++;
      } else if (text.startsWith("<!--", i)) {
        int end = text.indexOf("-->", i + 4);
        if (end < 0) {
          return -1;
        }
        i = end + 3;
      } else {
        return text.charAt(i) == '<' ? i : -1;
      }
    }
    return -1;
  }
}
