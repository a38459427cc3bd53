package org.bulwark.config.internal.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The structure of one configuration file, read from the XSD shipped with the distribution, so that
 * the schema editors see and the rules the parser enforces are one and the same. Only the XSD
 * constructs our schemas use are understood: named simple and complex types, sequence, choice and
 * all groups of local elements, attributes with {@code use}, {@code default} and the {@code bw:}
 * annotations.
 */
public final class Schema {

  static final String XS = XMLConstants.W3C_XML_SCHEMA_NS_URI;
  static final String BW = "urn:bulwark:config:1";

  private final String rootName;
  private final String rootType;
  private final String rootDoc;
  private final Map<String, ElementType> types;

  private Schema(String rootName, String rootType, String rootDoc, Map<String, ElementType> types) {
    this.rootName = rootName;
    this.rootType = rootType;
    this.rootDoc = rootDoc;
    this.types = types;
  }

  public String rootName() {
    return rootName;
  }

  public String rootDoc() {
    return rootDoc;
  }

  public ElementType root() {
    return types.get(rootType);
  }

  /** The element type of a child declaration. */
  public ElementType type(ChildDecl child) {
    return types.get(child.typeName());
  }

  /** Loads a schema from the bundle's resources ({@code xsd/cluster.xsd}, …). */
  public static Schema load(String resource) {
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + resource);
      }
      return parse(builder().parse(in));
    } catch (IOException | SAXException | ParserConfigurationException e) {
      throw new IllegalStateException("cannot read schema " + resource, e);
    }
  }

  private static DocumentBuilder builder() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder();
  }

  private static Schema parse(Document document) {
    Element schema = document.getDocumentElement();
    Map<String, SimpleType> simpleTypes = new LinkedHashMap<>();
    for (Element simple : children(schema, "simpleType")) {
      SimpleType type = simpleType(simple.getAttribute("name"), simple, simpleTypes);
      simpleTypes.put(type.name(), type);
    }
    Map<String, ElementType> types = new LinkedHashMap<>();
    for (Element complex : children(schema, "complexType")) {
      ElementType type = complexType(complex, simpleTypes);
      types.put(type.name(), type);
    }
    Element root = children(schema, "element").get(0);
    return new Schema(root.getAttribute("name"), root.getAttribute("type"), doc(root), types);
  }

  private static ElementType complexType(Element complex, Map<String, SimpleType> simpleTypes) {
    List<ChildDecl> children = new ArrayList<>();
    for (String group : List.of("sequence", "choice", "all")) {
      for (Element particle : children(complex, group)) {
        for (Element child : children(particle, "element")) {
          String max = child.getAttribute("maxOccurs");
          children.add(
              new ChildDecl(
                  child.getAttribute("name"),
                  child.getAttribute("type"),
                  child.hasAttribute("minOccurs")
                      ? Integer.parseInt(child.getAttribute("minOccurs"))
                      : 1,
                  max.isEmpty() ? 1 : max.equals("unbounded") ? -1 : Integer.parseInt(max),
                  "true".equals(child.getAttributeNS(BW, "dynamic")),
                  doc(child)));
        }
      }
    }
    Map<String, AttributeDecl> attributes = new LinkedHashMap<>();
    for (Element attribute : children(complex, "attribute")) {
      List<Element> inline = children(attribute, "simpleType");
      SimpleType type =
          inline.isEmpty()
              ? builtIn(attribute.getAttribute("type"), simpleTypes)
              : simpleType(null, inline.get(0), simpleTypes);
      String name = attribute.getAttribute("name");
      attributes.put(
          name,
          new AttributeDecl(
              name,
              type,
              "required".equals(attribute.getAttribute("use")),
              attribute.hasAttribute("default") ? attribute.getAttribute("default") : null,
              blankToNull(attribute.getAttributeNS(BW, "unit")),
              "true".equals(attribute.getAttributeNS(BW, "dynamic")),
              blankToNull(attribute.getAttributeNS(BW, "default")),
              "true".equals(attribute.getAttributeNS(BW, "legacy")),
              doc(attribute)));
    }
    return new ElementType(
        complex.getAttribute("name"),
        children,
        attributes,
        "true".equals(complex.getAttribute("mixed")));
  }

  private static SimpleType simpleType(String name, Element simple, Map<String, SimpleType> known) {
    Element restriction = children(simple, "restriction").get(0);
    SimpleType base = builtIn(restriction.getAttribute("base"), known);
    List<String> enumeration = new ArrayList<>();
    Pattern pattern = null;
    Long min = null;
    Long max = null;
    int minLength = 0;
    for (Element facet : children(restriction, null)) {
      String value = facet.getAttribute("value");
      switch (facet.getLocalName()) {
        case "enumeration" -> enumeration.add(value);
        case "pattern" -> pattern = Pattern.compile(value);
        case "minInclusive" -> min = Long.parseLong(value);
        case "maxInclusive" -> max = Long.parseLong(value);
        case "minLength" -> minLength = Integer.parseInt(value);
        default -> throw new IllegalStateException("unsupported facet " + facet.getLocalName());
      }
    }
    String docText = doc(simple);
    return new SimpleType(
        name,
        base.base(),
        enumeration,
        pattern,
        min,
        max,
        minLength,
        docText == null ? base.doc() : docText);
  }

  private static SimpleType builtIn(String type, Map<String, SimpleType> known) {
    if (type.startsWith("xs:")) {
      return new SimpleType(null, type.substring(3), List.of(), null, null, null, 0, null);
    }
    SimpleType named = known.get(type);
    if (named == null) {
      throw new IllegalStateException("unknown simple type " + type);
    }
    return named;
  }

  private static String doc(Element element) {
    for (Element annotation : children(element, "annotation")) {
      for (Element documentation : children(annotation, "documentation")) {
        return documentation.getTextContent().trim();
      }
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element
          && XS.equals(element.getNamespaceURI())
          && (localName == null || localName.equals(element.getLocalName()))
          && !(localName == null && element.getLocalName().equals("annotation"))) {
        found.add(element);
      }
    }
    return found;
  }
}
