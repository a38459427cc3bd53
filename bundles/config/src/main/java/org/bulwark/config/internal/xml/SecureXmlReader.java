package org.bulwark.config.internal.xml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.bulwark.config.internal.Problems;

/**
 * Reads a configuration file into an {@link XmlElement} tree with the JDK's own StAX parser,
 * configured so that nothing outside the file is ever read: DTDs are not processed, external
 * entities are not supported, any resolution attempt fails, and the only DOCTYPE accepted is the
 * bare {@code <!DOCTYPE safe>} that SafeKit files carry (spec B.0). Without an internal subset no
 * entity can be declared, so entity expansion attacks have nothing to expand.
 */
public final class SecureXmlReader {

  private static final String FACTORY_DEFAULT = "javax.xml.stream.isSupportingExternalEntities";

  private final java.util.Map<String, Pattern> bareDoctypes =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final XMLInputFactory factory;

  public SecureXmlReader() {
    // The JDK's implementation, whatever StAX provider the container exports.
    factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(FACTORY_DEFAULT, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    try {
      // CDATA blocks as their own events, so rule text keeps its own line numbers.
      factory.setProperty("http://java.sun.com/xml/stream/properties/report-cdata-event", true);
    } catch (IllegalArgumentException e) {
      // another implementation: CDATA arrives as characters, positions stay close enough
    }
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver(
        (publicId, systemId, base, namespace) -> {
          throw new XMLStreamException("external entities are not allowed: " + systemId);
        });
  }

  /**
   * Parses {@code text}; returns the root element, or null after reporting into {@code problems}.
   *
   * @param doctype the only DOCTYPE name tolerated ({@code safe}, {@code cluster})
   */
  public XmlElement read(SourceText source, String doctype, Problems problems) {
    SourceText text = doctype.equals("safe") ? LeadingMacros.wrap(source) : source;
    XmlElement root = parse(text, doctype, problems);
    return root == null || text == source ? root : LeadingMacros.unwrap(root, problems);
  }

  private XmlElement parse(SourceText text, String doctype, Problems problems) {
    Pattern allowed =
        bareDoctypes.computeIfAbsent(
            doctype, name -> Pattern.compile("<!DOCTYPE\\s+" + Pattern.quote(name) + "\\s*>"));
    Deque<XmlElement> open = new ArrayDeque<>();
    XmlElement root = null;
    XMLStreamReader reader = null;
    int lastOffset = 0;
    try {
      reader = factory.createXMLStreamReader(new StringReader(text.text()));
      while (reader.hasNext()) {
        int event = reader.next();
        Location end = reader.getLocation();
        int endOffset = text.offset(end.getLineNumber(), end.getColumnNumber());
        switch (event) {
          case XMLStreamConstants.DTD -> {
            if (!allowed.matcher(reader.getText().trim()).matches()) {
              int start = text.text().lastIndexOf("<!DOCTYPE", Math.max(0, endOffset - 1));
              start = Math.max(start, 0);
              problems.at(
                  text.line(start),
                  text.column(start),
                  "/",
                  "DOCTYPE declarations with an internal subset or an external identifier are "
                      + "not allowed",
                  "use <!DOCTYPE " + doctype + "> or no DOCTYPE");
              return null;
            }
          }
          case XMLStreamConstants.START_ELEMENT -> {
            XmlElement element = startElement(reader, text, endOffset, open.peek());
            if (open.isEmpty()) {
              root = element;
            } else {
              open.peek().add(element);
            }
            open.push(element);
          }
          case XMLStreamConstants.END_ELEMENT -> open.pop();
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) {
              addText(
                  open.peek(),
                  reader.getText(),
                  text,
                  lastOffset + (event == XMLStreamConstants.CDATA ? 9 : 0),
                  event == XMLStreamConstants.CDATA);
            }
          }
          default -> {
            // comments and processing instructions carry nothing
          }
        }
        lastOffset = endOffset;
      }
      return root;
    } catch (XMLStreamException e) {
      Location where = e.getLocation();
      int line = where == null ? 1 : where.getLineNumber();
      int column = where == null ? 1 : where.getColumnNumber();
      String path = open.isEmpty() ? "/" : open.peek().path();
      problems.at(line, column, path, "malformed XML: " + cleanMessage(e), null);
      return null;
    } catch (RuntimeException e) {
      // The JDK parser has been seen to fail with runtime exceptions on some byte sequences
      // (a missing message resource for invalid characters in a DOCTYPE): still malformed XML.
      Location where = reader == null ? null : reader.getLocation();
      int line = where == null || where.getLineNumber() < 1 ? 1 : where.getLineNumber();
      int column = where == null || where.getColumnNumber() < 1 ? 1 : where.getColumnNumber();
      String path = open.isEmpty() ? "/" : open.peek().path();
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      problems.at(line, column, path, "malformed XML (" + detail + ")", null);
      return null;
    } finally {
      close(reader);
    }
  }

  private static XmlElement startElement(
      XMLStreamReader reader, SourceText text, int endOffset, XmlElement parent) {
    String source = text.text();
    int tagStart = source.lastIndexOf('<', Math.max(0, endOffset - 1));
    tagStart = Math.max(tagStart, 0);
    String name = reader.getLocalName();
    XmlElement element = new XmlElement(name, parent, text.line(tagStart), text.column(tagStart));
    TagScanner tag =
        new TagScanner(source, tagStart + 1 + reader.getName().toString().length(), endOffset);
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      String attributeName = reader.getAttributeLocalName(i);
      int at = tag.find(reader.getAttributeName(i).toString());
      int offset = at < 0 ? tagStart : at;
      element.add(
          new XmlAttribute(
              element,
              attributeName,
              reader.getAttributeValue(i),
              text.line(offset),
              text.column(offset)));
    }
    return element;
  }

  private static void addText(
      XmlElement element, String content, SourceText text, int startOffset, boolean cdata) {
    int firstNonBlank = 0;
    while (firstNonBlank < content.length() && Blank.isBlank(content.charAt(firstNonBlank))) {
      firstNonBlank++;
    }
    if (firstNonBlank == content.length() && !cdata) {
      return;
    }
    int offset = Math.min(text.text().length(), startOffset + firstNonBlank);
    element.add(new XmlElement.TextBlock(content, text.line(offset), text.column(offset), cdata));
  }

  /** The JDK prefixes "ParseError at [row,col]:[l,c]\nMessage: "; the position is ours already. */
  static String cleanMessage(XMLStreamException e) {
    String message = String.valueOf(e.getMessage());
    int index = message.indexOf("Message: ");
    return (index >= 0 ? message.substring(index + 9) : message).trim();
  }

  private static void close(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // nothing left to release for a string source
      }
    }
  }

  /** The offsets of the attribute names of one start tag, scanned once, quoted values skipped. */
  private static final class TagScanner {
    private final java.util.Map<String, Integer> offsets = new java.util.HashMap<>();

    TagScanner(String source, int from, int to) {
      int end = Math.min(to, source.length());
      int i = from;
      while (i < end) {
        char c = source.charAt(i);
        if (c == '"' || c == '\'') {
          int close = source.indexOf(c, i + 1);
          i = close < 0 ? end : close + 1;
        } else if (Character.isWhitespace(c) || c == '/' || c == '>' || c == '=') {
          i++;
        } else {
          int nameStart = i;
          while (i < end && !Character.isWhitespace(source.charAt(i)) && source.charAt(i) != '=') {
            i++;
          }
          offsets.putIfAbsent(source.substring(nameStart, i), nameStart);
        }
      }
    }

    int find(String attributeName) {
      return offsets.getOrDefault(attributeName, -1);
    }
  }
}
