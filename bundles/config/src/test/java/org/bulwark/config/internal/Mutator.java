package org.bulwark.config.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random mutations of a valid configuration file for the fuzz test: structural (lines deleted,
 * duplicated, swapped, junk elements), values (attribute values and names), bytes (truncation,
 * invalid UTF-8, flips, encodings) and hostile XML (DOCTYPE tricks, entity expansion, external
 * entities pointing to a local file that must never be read).
 */
final class Mutator {

  private static final Pattern VALUE = Pattern.compile("=\"([^\"]*)\"");
  private static final Pattern NAME = Pattern.compile(" ([a-z_]+)=\"");
  private static final Pattern TAG = Pattern.compile("<([a-z_]+)");
  private static final List<String> VALUES =
      List.of(
          "",
          "0",
          "-1",
          "1",
          "3",
          "65536",
          "99999999999999999999",
          "on",
          "off",
          "yes",
          "no",
          "abc",
          "%UNDEFINED%",
          "%VIRTUAL_IP%",
          "1ms",
          "500ms",
          "7d",
          "1us",
          "10x",
          "::1",
          "[::1]",
          "[::zz]",
          "a b",
          "&amp;",
          "&lt;",
          "&#0;",
          "&#x1F600;",
          "mirror",
          "farm",
          "light",
          "pre",
          "prim",
          "second",
          "both",
          "wait",
          "restart",
          "default",
          "repli",
          "node1",
          "node3",
          "*",
          "/data",
          "relative/dir",
          "(",
          "!.*",
          "192.168.1.1",
          "256.1.1.1",
          "host.example.com",
          "bad_host",
          "on_addr",
          "arp",
          "alias",
          "one_side_alias",
          "x".repeat(300));

  private final String marker;
  private final String secretUri;

  Mutator(String marker, String secretUri) {
    this.marker = marker;
    this.secretUri = secretUri;
  }

  byte[] mutate(String base, Random random) {
    String text = base;
    int count = 1 + random.nextInt(3);
    byte[] bytes = null;
    for (int i = 0; i < count; i++) {
      int kind = random.nextInt(14);
      if (kind >= 11) {
        bytes = bytes(bytes == null ? text.getBytes(StandardCharsets.UTF_8) : bytes, kind, random);
      } else if (bytes == null) {
        text = text(text, kind, random);
      }
    }
    return bytes != null ? bytes : text.getBytes(StandardCharsets.UTF_8);
  }

  private String text(String text, int kind, Random random) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int at = random.nextInt(lines.size());
    switch (kind) {
      case 0 -> lines.remove(at);
      case 1 -> lines.add(at, lines.get(random.nextInt(lines.size())));
      case 2 -> {
        int other = random.nextInt(lines.size());
        String swap = lines.get(at);
        lines.set(at, lines.get(other));
        lines.set(other, swap);
      }
      case 3, 4, 5 -> {
        return replaceGroup(text, VALUE, VALUES.get(random.nextInt(VALUES.size())), random);
      }
      case 6 -> {
        return replaceGroup(text, NAME, typo(random), random);
      }
      case 7 -> {
        return replaceGroup(text, TAG, typo(random), random);
      }
      case 8 -> lines.add(at, "<" + typo(random) + " a=\"1\"/>");
      case 9 -> {
        return hostile(text, random);
      }
      default -> lines.add(at, "text & more </unbalanced>");
    }
    return String.join("\n", lines);
  }

  private String hostile(String text, Random random) {
    String body = text.replace("<!DOCTYPE safe>", "").replace("<!DOCTYPE cluster>", "");
    String reference = "&x;";
    String doctype =
        switch (random.nextInt(7)) {
          case 0 -> "<!DOCTYPE safe [<!ENTITY x SYSTEM \"" + secretUri + "\">]>";
          case 1 -> "<!DOCTYPE safe [<!ENTITY % p SYSTEM \"" + secretUri + "\"> %p;]>";
          case 2 -> "<!DOCTYPE safe SYSTEM \"" + secretUri + "\">";
          case 3 -> "<!DOCTYPE safe PUBLIC \"-//X//Y\" \"" + secretUri + "\">";
          case 4 ->
              "<!DOCTYPE safe [<!ENTITY a \""
                  + "ha".repeat(50)
                  + "\"><!ENTITY b \""
                  + "&a;".repeat(50)
                  + "\"><!ENTITY x \""
                  + "&b;".repeat(50)
                  + "\">]>";
          case 5 -> "<!DOCTYPE safe [<!ENTITY x \"" + marker + "\">]>";
          default -> {
            reference =
                "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\""
                    + secretUri
                    + "\" parse=\"text\"/>";
            yield "<!DOCTYPE safe>";
          }
        };
    String placed = body.replaceFirst("value=\"[^\"]*\"", "value=\"" + reference + "\"");
    if (reference.startsWith("<xi") || placed.equals(body)) {
      int close = body.indexOf("/>");
      placed =
          close < 0
              ? body + reference
              : body.substring(0, close + 2) + reference + body.substring(close + 2);
    }
    return doctype + "\n" + placed;
  }

  private static byte[] bytes(byte[] bytes, int kind, Random random) {
    if (bytes.length == 0) {
      return bytes;
    }
    int at = random.nextInt(bytes.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (kind) {
      case 11 -> {
        return Arrays.copyOf(bytes, at);
      }
      case 12 -> {
        byte[][] invalid = {
          {(byte) 0xff},
          {(byte) 0xc3, 0x28},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
          {0}
        };
        out.write(bytes, 0, at);
        out.writeBytes(invalid[random.nextInt(invalid.length)]);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
      }
      default -> {
        byte[] copy = bytes.clone();
        if (random.nextBoolean()) {
          for (int i = 0; i < 1 + random.nextInt(4); i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
          }
          return copy;
        }
        String[] declarations = {"UTF-16", "ISO-8859-1", "EBCDIC", "UTF-8", "x"};
        out.writeBytes(
            ("<?xml version=\"1.0\" encoding=\""
                    + declarations[random.nextInt(declarations.length)]
                    + "\"?>\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(copy);
        return out.toByteArray();
      }
    }
  }

  private static String replaceGroup(String text, Pattern pattern, String value, Random random) {
    Matcher matcher = pattern.matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (matcher.find()) {
      spans.add(new int[] {matcher.start(1), matcher.end(1)});
    }
    if (spans.isEmpty()) {
      return text;
    }
    int[] span = spans.get(random.nextInt(spans.size()));
    return text.substring(0, span[0]) + value + text.substring(span[1]);
  }

  private static String typo(Random random) {
    String[] names = {
      "heart",
      "hert",
      "rfs",
      "rsf",
      "name",
      "nmae",
      "addr",
      "adr",
      "vip",
      "when",
      "action",
      "lan",
      "node",
      "service",
      "mode",
      "pulse",
      "timeout",
      "replicated",
      "x"
    };
    return names[random.nextInt(names.length)];
  }
}
