package org.bulwark.config.internal.xml;

/**
 * An attribute with the position of its name. {@code value} is the value after macro expansion;
 * {@code raw} the value as written; {@code macro} the first macro whose expansion it contains, or
 * null (so that messages can say where a bad value came from).
 */
public final class XmlAttribute {

  private final String name;
  private final String raw;
  private final int line;
  private final int column;
  private final XmlElement owner;
  private String value;
  private String macro;

  XmlAttribute(XmlElement owner, String name, String raw, int line, int column) {
    this.owner = owner;
    this.name = name;
    this.raw = raw;
    this.value = raw;
    this.line = line;
    this.column = column;
  }

  public String name() {
    return name;
  }

  public String raw() {
    return raw;
  }

  public String value() {
    return value;
  }

  public String macro() {
    return macro;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public XmlElement owner() {
    return owner;
  }

  /** {@code /safe/service/rfs/@async}. */
  public String path() {
    return owner.path() + "/@" + name;
  }

  /** Records the value after macro expansion. */
  public void expand(String expanded, String firstMacro) {
    this.value = expanded;
    this.macro = firstMacro;
  }
}
