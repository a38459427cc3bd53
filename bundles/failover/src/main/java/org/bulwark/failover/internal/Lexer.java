package org.bulwark.failover.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.failover.internal.Token.Kind;

/**
 * Splits a rules text into tokens. Two comment styles: the failover machine language's {@code /* …
 * *\/} (spec B.19, as in the guide's default rules) and Lua's {@code --} and {@code --[[ … ]]} for
 * a {@code --Lua Rules} section.
 *
 * <p>A word is a run of letters, digits and {@code _ . - ? * %}: labels, keywords, states, numbers,
 * percentages and whole resource names ({@code remote.intf.ip.0}, {@code tcp.?}) are words; the
 * parser gives them their meaning.
 */
public final class Lexer {

  private final String text;
  private final boolean lua;
  private int at;

  private Lexer(String text, boolean lua) {
    this.text = text;
    this.lua = lua;
  }

  /** The tokens of a text in the failover machine language. */
  public static List<Token> failoverLanguage(String text) throws RuleProblem {
    return new Lexer(text, false).all();
  }

  /** The tokens of a {@code --Lua Rules} section. */
  public static List<Token> lua(String text) throws RuleProblem {
    return new Lexer(text, true).all();
  }

  private List<Token> all() throws RuleProblem {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipBlanksAndComments();
      if (at >= text.length()) {
        out.add(new Token(Kind.END, "", text.length()));
        return out;
      }
      out.add(next());
    }
  }

  private void skipBlanksAndComments() throws RuleProblem {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (Character.isWhitespace(c)) {
        at++;
      } else if (!lua && text.startsWith("/*", at)) {
        int end = text.indexOf("*/", at + 2);
        if (end < 0) {
          throw new RuleProblem(at, "comment '/*' is never closed with '*/'");
        }
        at = end + 2;
      } else if (lua && text.startsWith("--[[", at)) {
        int end = text.indexOf("]]", at + 4);
        if (end < 0) {
          throw new RuleProblem(at, "comment '--[[' is never closed with ']]'");
        }
        at = end + 2;
      } else if (lua && text.startsWith("--", at)) {
        int end = text.indexOf('\n', at);
        at = end < 0 ? text.length() : end + 1;
      } else {
        return;
      }
    }
  }

  private Token next() throws RuleProblem {
    int start = at;
    char c = text.charAt(at);
    if (isWordChar(c)) {
      while (at < text.length() && isWordChar(text.charAt(at))) {
        at++;
      }
      return new Token(Kind.WORD, text.substring(start, at), start);
    }
    if (c == '"' || (lua && c == '\'')) {
      int end = text.indexOf(c, at + 1);
      int newline = text.indexOf('\n', at + 1);
      if (end < 0 || (newline >= 0 && newline < end)) {
        throw new RuleProblem(start, "string is never closed with " + c);
      }
      at = end + 1;
      return new Token(Kind.STRING, text.substring(start + 1, end), start);
    }
    String two = at + 1 < text.length() ? text.substring(at, at + 2) : "";
    Kind pair =
        switch (two) {
          case "&&" -> Kind.AND;
          case "||" -> Kind.OR;
          case "==" -> Kind.EQ;
          case "!=" -> Kind.NE;
          case "<=" -> Kind.LE;
          case ">=" -> Kind.GE;
          default -> null;
        };
    if (pair != null) {
      at += 2;
      return new Token(pair, two, start);
    }
    Kind one =
        switch (c) {
          case '(' -> Kind.LPAREN;
          case ')' -> Kind.RPAREN;
          case '{' -> Kind.LBRACE;
          case '}' -> Kind.RBRACE;
          case ':' -> Kind.COLON;
          case ';' -> Kind.SEMICOLON;
          case ',' -> Kind.COMMA;
          case '+' -> Kind.PLUS;
          case '!' -> Kind.NOT;
          case '<' -> Kind.LT;
          case '>' -> Kind.GT;
          case '=' -> Kind.ASSIGN;
          default -> null;
        };
    if (one == null) {
      String hint =
          c == '&' ? "use '&&'" : c == '|' ? "use '||'" : "not part of the rules language";
      throw new RuleProblem(start, "unexpected character '" + c + "': " + hint);
    }
    at++;
    return new Token(one, String.valueOf(c), start);
  }

  private boolean isWordChar(char c) {
    if (lua && c == '-' && text.startsWith("--", at)) {
      return false;
    }
    return Character.isLetterOrDigit(c)
        || c == '_'
        || c == '.'
        || c == '-'
        || c == '?'
        || c == '*'
        || c == '%';
  }
}
