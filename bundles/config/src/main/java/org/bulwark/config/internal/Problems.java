package org.bulwark.config.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.config.internal.xml.XmlAttribute;
import org.bulwark.config.internal.xml.XmlElement;

/**
 * Collects every error of one file (issue 3: all of them at once). Attributes found invalid are
 * remembered so that later checks do not report consequences of the same mistake.
 */
public final class Problems {

  private final String file;
  private final List<ConfigurationError> errors = new ArrayList<>();
  private final Set<XmlAttribute> invalid = new HashSet<>();
  private final Set<XmlElement> invalidElements = new HashSet<>();
  private final Set<String> misspelt = new HashSet<>();

  public Problems(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  public void at(int line, int column, String path, String message, String suggestion) {
    errors.add(
        new ConfigurationError(
            file, Math.max(line, 1), Math.max(column, 1), path, message, suggestion));
  }

  public void at(XmlElement element, String message, String suggestion) {
    invalidElements.add(element);
    at(element.line(), element.column(), element.path(), message, suggestion);
  }

  public void at(XmlElement element, String message) {
    at(element, message, null);
  }

  public void at(XmlAttribute attribute, String message, String suggestion) {
    invalid.add(attribute);
    String text =
        attribute.macro() == null
            ? message
            : message + " (value from macro " + attribute.macro() + ")";
    at(attribute.line(), attribute.column(), attribute.path(), text, suggestion);
  }

  public void at(XmlAttribute attribute, String message) {
    at(attribute, message, null);
  }

  /** Whether an error was already reported on this attribute. */
  public boolean isInvalid(XmlAttribute attribute) {
    return invalid.contains(attribute);
  }

  /** Whether an error was already reported on this element itself. */
  public boolean isInvalid(XmlElement element) {
    return invalidElements.contains(element);
  }

  /** Records that an unknown child of {@code parent} was reported as a misspelling of a name. */
  public void misspelt(XmlElement parent, String name) {
    misspelt.add(parent.path() + "/" + name);
  }

  /**
   * Whether a child called {@code name} is missing only because it was misspelt (already reported
   * with "did you mean").
   */
  public boolean wasMisspelt(XmlElement parent, String name) {
    return misspelt.contains(parent.path() + "/" + name);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** The errors in document order (stable for errors at the same position). */
  public List<ConfigurationError> sorted() {
    List<ConfigurationError> copy = new ArrayList<>(errors);
    copy.sort(
        Comparator.comparingInt(ConfigurationError::line)
            .thenComparingInt(ConfigurationError::column));
    return copy;
  }
}
