package org.bulwark.failover.internal;

/**
 * Maps an offset in a rules text back to the line and column of the file it came from: the text of
 * a {@code <failover>} CDATA section starts somewhere inside {@code userconfig.xml}, and an
 * administrator must be told {@code userconfig.xml:42:17}, not "character 230 of the rules".
 *
 * <p>The anchor is the text's first non-blank character, whose position the configuration parser
 * records. Lines after it start at column 1 of the file; on the anchor's own line columns count
 * from the anchor's column (when it is unknown, from the start of the text's line).
 */
public final class SourceMap {

  private final String file;
  private final String text;
  private final int anchor;
  private final int anchorLine;
  private final int anchorColumn;

  /**
   * @param file the file name to report
   * @param text the rules text
   * @param firstLine the line of the text's first non-blank character (1-based)
   * @param firstColumn its column, 0 when unknown
   */
  public SourceMap(String file, String text, int firstLine, int firstColumn) {
    this.file = file;
    this.text = text;
    int a = 0;
    while (a < text.length() && Character.isWhitespace(text.charAt(a))) {
      a++;
    }
    this.anchor = a;
    this.anchorLine = Math.max(firstLine, 1);
    this.anchorColumn = firstColumn;
  }

  /** A text that is a whole file of its own (the embedded predefined rules). */
  public static SourceMap whole(String file, String text) {
    int a = 0;
    int line = 1;
    while (a < text.length() && Character.isWhitespace(text.charAt(a))) {
      if (text.charAt(a) == '\n') {
        line++;
      }
      a++;
    }
    int lineStart = text.lastIndexOf('\n', a - 1) + 1;
    return new SourceMap(file, text, line, a - lineStart + 1);
  }

  public String file() {
    return file;
  }

  public String text() {
    return text;
  }

  /** The 1-based line of {@code offset} in the file. */
  public int line(int offset) {
    int line = anchorLine;
    if (offset >= anchor) {
      for (int i = anchor; i < offset && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
    } else {
      for (int i = offset; i < anchor; i++) {
        if (text.charAt(i) == '\n') {
          line--;
        }
      }
    }
    return Math.max(line, 1);
  }

  /** The 1-based column of {@code offset} in the file. */
  public int column(int offset) {
    int at = Math.max(0, Math.min(offset, text.length()));
    int lineStart = text.lastIndexOf('\n', at - 1) + 1;
    int anchorLineStart = text.lastIndexOf('\n', anchor - 1) + 1;
    if (lineStart == anchorLineStart && anchorColumn > 0) {
      return anchorColumn + (at - anchor);
    }
    return at - lineStart + 1;
  }
}
