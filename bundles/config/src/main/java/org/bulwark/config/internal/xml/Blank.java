package org.bulwark.config.internal.xml;

/**
 * Blank text, including the no-break spaces that documents copied from web pages carry (the cluster
 * examples of the user guide's cloud chapter are indented with U+00A0).
 */
public final class Blank {

  private Blank() {}

  public static boolean isBlank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  public static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isBlank(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} without leading and trailing blanks. */
  public static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isBlank(text.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }
}
