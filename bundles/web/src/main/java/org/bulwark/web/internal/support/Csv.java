package org.bulwark.web.internal.support;

import java.io.IOException;
import java.io.Writer;

/** CSV rows (RFC 4180): a field with a comma, a quote or a line break is quoted. */
final class Csv {
  private Csv() {}

  static void row(Writer out, Object... fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(field(fields[i] == null ? "" : fields[i].toString()));
    }
    out.write('\n');
  }

  static String field(String text) {
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
