package org.bulwark.failover.internal;

/**
 * One token of a rules text.
 *
 * @param kind what it is
 * @param text its characters (a string literal without its quotes)
 * @param offset where it starts in the text
 */
public record Token(Kind kind, String text, int offset) {

  /** Token kinds; {@link #WORD} covers labels, keywords, states, numbers and resource names. */
  public enum Kind {
    WORD,
    STRING,
    LPAREN,
    RPAREN,
    LBRACE,
    RBRACE,
    COLON,
    SEMICOLON,
    COMMA,
    PLUS,
    AND,
    OR,
    NOT,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    ASSIGN,
    END
  }

  /** How the token reads in an error message. */
  public String describe() {
    return switch (kind) {
      case END -> "the end of the rules";
      case STRING -> "\"" + text + "\"";
      default -> "'" + text + "'";
    };
  }
}
