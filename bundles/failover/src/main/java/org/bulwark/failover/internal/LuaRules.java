package org.bulwark.failover.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bulwark.failover.FailoverAction;
import org.bulwark.failover.internal.Expr.Compare;
import org.bulwark.failover.internal.Expr.Literal;
import org.bulwark.failover.internal.Expr.Op;
import org.bulwark.failover.internal.Expr.Ref;
import org.bulwark.failover.internal.Token.Kind;

/**
 * A {@code --Lua Rules} section (spec B.19), read as data: the two statements the guide documents
 * and nothing else, so that no Lua interpreter runs inside the node (docs/failover.md, "Lua"):
 *
 * <pre>
 * Rules = Rules + { label=if_then("resource","state",Action.x), …, _group="checker" }
 * Rules.disable("label")
 * </pre>
 *
 * {@code if_then("r","s",Action.x)} is the rule {@code label: if (r == s) then x();}, compiled to
 * the same tree as the native language, so both forms share one evaluation path. Any other Lua
 * (variables, functions, loops, other tables) is refused with its line and column.
 */
public final class LuaRules {

  /** The rules added and the labels disabled, with where each {@code disable} was written. */
  public record Result(List<Rule> rules, List<Disable> disabled, List<RuleProblem> problems) {}

  /** A {@code Rules.disable("label")} at {@code offset}. */
  public record Disable(String label, int offset) {}

  private static final String UNSUPPORTED =
      "Bulwark reads Lua rules as data and runs no Lua: only"
          + " 'Rules = Rules + { label=if_then(\"resource\",\"state\",Action.x), _group=\"checker\" }'"
          + " and 'Rules.disable(\"label\")' are accepted; write other rules in the failover"
          + " machine language, in a CDATA section of their own";

  private final List<Token> tokens;
  private final SourceMap map;
  private final Parser.Options options;
  private final List<Rule> rules = new ArrayList<>();
  private final List<Disable> disabled = new ArrayList<>();
  private int at;

  private LuaRules(List<Token> tokens, SourceMap map, Parser.Options options) {
    this.tokens = tokens;
    this.map = map;
    this.options = options;
  }

  public static Result parse(SourceMap map, Parser.Options options) {
    List<Token> tokens;
    try {
      tokens = Lexer.lua(map.text());
    } catch (RuleProblem p) {
      return new Result(List.of(), List.of(), List.of(p));
    }
    LuaRules lua = new LuaRules(tokens, map, options);
    List<RuleProblem> problems = new ArrayList<>();
    while (lua.peek().kind() != Kind.END) {
      try {
        lua.statement();
      } catch (RuleProblem p) {
        problems.add(p);
        lua.skipStatement();
      }
    }
    return new Result(lua.rules, lua.disabled, problems);
  }

  private void statement() throws RuleProblem {
    Token t = peek();
    if (t.kind() == Kind.SEMICOLON) {
      at++;
      return;
    }
    if (word(t, "Rules.disable")) {
      at++;
      expect(Kind.LPAREN, "'(' after Rules.disable");
      Token label = expect(Kind.STRING, "the label of the rule to disable, in quotes");
      expect(Kind.RPAREN, "')'");
      disabled.add(new Disable(label.text(), label.offset()));
      return;
    }
    if (word(t, "Rules")) {
      at++;
      expect(Kind.ASSIGN, "'=' in 'Rules = Rules + { … }'");
      Token again = peek();
      if (!word(again, "Rules")) {
        throw new RuleProblem(again.offset(), "expected 'Rules + { … }': " + UNSUPPORTED);
      }
      at++;
      expect(Kind.PLUS, "'+' in 'Rules = Rules + { … }'");
      table();
      return;
    }
    throw new RuleProblem(t.offset(), "unsupported Lua " + t.describe() + ": " + UNSUPPORTED);
  }

  private void table() throws RuleProblem {
    expect(Kind.LBRACE, "'{'");
    while (peek().kind() != Kind.RBRACE) {
      field();
      if (peek().kind() == Kind.COMMA || peek().kind() == Kind.SEMICOLON) {
        at++;
      } else if (peek().kind() != Kind.RBRACE) {
        throw new RuleProblem(
            peek().offset(), "expected ',' or '}' but found " + peek().describe());
      }
    }
    at++;
  }

  private void field() throws RuleProblem {
    Token label = expect(Kind.WORD, "a rule label");
    expect(Kind.ASSIGN, "'=' after " + label.text());
    if (label.text().equals("_group")) {
      expect(Kind.STRING, "the group name in quotes");
      return;
    }
    if (!Vocabulary.isLabel(label.text())) {
      throw new RuleProblem(label.offset(), "'" + label.text() + "' is not a rule label");
    }
    Token call = peek();
    if (!word(call, "if_then")) {
      throw new RuleProblem(
          call.offset(),
          "expected if_then(\"resource\",\"state\",Action.x) for rule "
              + label.text()
              + ": "
              + UNSUPPORTED);
    }
    at++;
    expect(Kind.LPAREN, "'(' after if_then");
    Token resource = expect(Kind.STRING, "the resource name in quotes");
    expect(Kind.COMMA, "','");
    Token state = expect(Kind.STRING, "the state in quotes");
    expect(Kind.COMMA, "','");
    Token action =
        expect(
            Kind.WORD, "Action.stop, Action.stopstart, Action.wait, Action.restart or Action.swap");
    expect(Kind.RPAREN, "')'");
    Ref ref =
        Operands.ref(
            new Token(Kind.WORD, resource.text(), resource.offset() + 1), options.mirror());
    if (!Vocabulary.STATES.contains(state.text()) && !Vocabulary.isNumber(state.text())) {
      throw new RuleProblem(
          state.offset() + 1,
          "unknown state '" + state.text() + "': expected up, down, init or unknown",
          Vocabulary.suggest(state.text(), Vocabulary.STATES));
    }
    String verb =
        action.text().startsWith("Action.") ? action.text().substring("Action.".length()) : "";
    if (!Vocabulary.ACTIONS.subList(0, 5).contains(verb)) {
      throw new RuleProblem(
          action.offset(),
          "unknown action '"
              + action.text()
              + "': expected Action.stop, Action.stopstart, Action.wait, Action.restart or Action.swap",
          Vocabulary.suggest(verb, Vocabulary.ACTIONS.subList(0, 5)));
    }
    Expr condition = new Compare(ref, Op.EQ, new Literal(state.text()));
    rules.add(
        new Rule(
            label.text(),
            condition,
            FailoverAction.valueOf(verb.toUpperCase(Locale.ROOT)),
            null,
            null,
            options.origin(),
            map.file(),
            map.line(label.offset()),
            map.column(label.offset())));
  }

  /** After a mistake: skip to the start of the next line's statement. */
  private void skipStatement() {
    int line = map.line(peek().offset());
    at++;
    while (peek().kind() != Kind.END && map.line(peek().offset()) == line) {
      at++;
    }
  }

  private static boolean word(Token t, String text) {
    return t.kind() == Kind.WORD && t.text().equals(text);
  }

  private Token peek() {
    return tokens.get(Math.min(at, tokens.size() - 1));
  }

  private Token expect(Kind kind, String what) throws RuleProblem {
    Token t = peek();
    if (t.kind() != kind) {
      throw new RuleProblem(t.offset(), "expected " + what + " but found " + t.describe());
    }
    at++;
    return t;
  }
}
