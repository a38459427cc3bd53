package org.bulwark.config.internal.xml;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration file decoded to text, with a line table to turn offsets into line:column.
 * Decoding is strict: an invalid byte sequence is a configuration error at the line and column
 * where it occurs, never a replacement character silently accepted.
 */
public final class SourceText {

  private static final Pattern ENCODING =
      Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");

  private final String text;
  private final int[] lineStarts;

  private SourceText(String text) {
    this.text = text;
    this.lineStarts = lineStarts(text);
  }

  /** The same positions over another text of the same layout (see {@link LeadingMacros}). */
  SourceText withText(String replaced) {
    return new SourceText(replaced);
  }

  /** The decoded text (without a byte order mark). */
  public String text() {
    return text;
  }

  /** Decodes {@code bytes}; on failure, reports through {@code sink} and returns null. */
  public static SourceText decode(byte[] bytes, ErrorSink sink) {
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    Charset charset = StandardCharsets.UTF_8;
    String head =
        new String(bytes, start, Math.min(200, bytes.length - start), StandardCharsets.ISO_8859_1);
    Matcher declared = ENCODING.matcher(head);
    if (declared.find()) {
      String name = declared.group(1).toUpperCase(Locale.ROOT);
      if (!name.equals("UTF-8") && !name.equals("UTF8")) {
        if (!name.equals("ISO-8859-1")
            && !name.equals("US-ASCII")
            && !name.equals("WINDOWS-1252")
            && !name.equals("LATIN1")) {
          sink.error(
              1,
              1,
              "unsupported encoding '"
                  + declared.group(1)
                  + "'; expected UTF-8, ISO-8859-1, US-ASCII or windows-1252",
              null);
          return null;
        }
        charset = Charset.forName(name.equals("LATIN1") ? "ISO-8859-1" : name);
      }
    }
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    out.flip();
    if (result.isError()) {
      SourceText partial = new SourceText(out.toString());
      int offset = partial.text.length();
      sink.error(
          partial.line(offset),
          partial.column(offset),
          String.format(
              "invalid %s byte sequence (byte 0x%02x at offset %d)",
              charset.name(), bytes[in.position()] & 0xff, in.position()),
          "save the file as " + charset.name());
      return null;
    }
    return new SourceText(out.toString());
  }

  /** The 1-based line of a character offset. */
  public int line(int offset) {
    int index = Arrays.binarySearch(lineStarts, offset);
    return index >= 0 ? index + 1 : -index - 1;
  }

  /** The 1-based column of a character offset. */
  public int column(int offset) {
    return offset - lineStarts[line(offset) - 1] + 1;
  }

  /** The offset of a 1-based line and column, clamped to the text. */
  public int offset(int line, int column) {
    if (line < 1) {
      return 0;
    }
    int start = lineStarts[Math.min(line, lineStarts.length) - 1];
    return Math.max(0, Math.min(text.length(), start + Math.max(column, 1) - 1));
  }

  private static int[] lineStarts(String text) {
    int[] starts = new int[16];
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean lineBreak =
          c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'));
      if (lineBreak) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, count);
  }

  /** Where decoding and parsing report. */
  public interface ErrorSink {
    void error(int line, int column, String message, String suggestion);
  }
}
