package org.bulwark.module.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * {@code $SAFEBIN/xpathGet <xpath> <file>} (spec B.0, E.5): the values an XPath selects in an XML
 * file, one per line, as the official module scripts read {@code <user><var>} from {@code
 * SAFEUSERCONF/safeconf.xml}. The file's {@code <!DOCTYPE safe>} is accepted; no DTD or external
 * entity is ever loaded.
 */
final class XpathGet {

  /** A file or expression that cannot be used, with what is wrong in words. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private XpathGet() {}

  /** The string value of every node {@code xpath} selects in {@code file}, in document order. */
  static List<String> values(String xpath, Path file) throws Failure {
    XPathExpression expression;
    try {
      expression = XPathFactory.newInstance().newXPath().compile(xpath);
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException("invalid XPath expression '" + xpath + "'");
    }
    Document document = parse(file);
    try {
      NodeList nodes = (NodeList) expression.evaluate(document, XPathConstants.NODESET);
      List<String> values = new ArrayList<>(nodes.getLength());
      for (int i = 0; i < nodes.getLength(); i++) {
        Node node = nodes.item(i);
        values.add(node.getTextContent());
      }
      return values;
    } catch (XPathExpressionException e) {
      // not a node set (count(), a string…): its string value
      try {
        return List.of(expression.evaluate(document));
      } catch (XPathExpressionException e2) {
        throw new IllegalArgumentException("invalid XPath expression '" + xpath + "'");
      }
    }
  }

  private static Document parse(Path file) throws Failure {
    try (InputStream in = Files.newInputStream(file)) {
      return builder().parse(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new Failure(file + ": no such file");
    } catch (SAXException e) {
      throw new Failure(file + ": not well-formed XML: " + e.getMessage());
    } catch (IOException e) {
      throw new Failure(file + ": cannot read: " + e.getMessage());
    }
  }

  private static DocumentBuilder builder() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(
          new org.xml.sax.helpers.DefaultHandler()); // no "[Fatal Error]" on stderr
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a secure setting: " + e);
    }
  }
}
