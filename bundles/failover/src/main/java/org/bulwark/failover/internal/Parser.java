package org.bulwark.failover.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.failover.FailoverAction;
import org.bulwark.failover.internal.Expr.Compare;
import org.bulwark.failover.internal.Expr.Literal;
import org.bulwark.failover.internal.Expr.Op;
import org.bulwark.failover.internal.Expr.Operand;
import org.bulwark.failover.internal.Expr.Ref;
import org.bulwark.failover.internal.Token.Kind;

/**
 * The failover machine language (spec B.19), recursive descent:
 *
 * <pre>
 * rules      ::= rule*
 * rule       ::= label ':' 'if' '(' expression ')' 'then' action ';'
 * expression ::= and ('||' and)*
 * and        ::= unary ('&amp;&amp;' unary)*
 * unary      ::= '!' unary | '(' expression ')' | comparison
 * comparison ::= operand ('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') operand
 * operand    ::= resource | state | number | percentage | 'cluster' '(' ')'
 * resource   ::= ['local.' | 'remote.'] class '.' (name | '?' | '*')
 * action     ::= ('stop' | 'stopstart' | 'wait' | 'restart' | 'swap') '(' ')'
 *              | resource '=' state
 * </pre>
 *
 * Every mistake is collected (the parser skips to the next {@code ;} and goes on), so that {@code
 * confcheck} reports all of them at once.
 */
public final class Parser {

  /**
   * @param mirror whether {@code remote.} resources exist (mirror modules only, spec B.19)
   * @param internal whether the internal words {@code wakeup()} and {@code wait_rules()} are
   *     allowed
   * @param origin the origin given to the rules read
   */
  public record Options(boolean mirror, boolean internal, Rule.Origin origin) {}

  /** The rules read and the mistakes found. */
  public record Result(List<Rule> rules, List<RuleProblem> problems) {}

  private final List<Token> tokens;
  private final SourceMap map;
  private final Options options;
  private int at;

  private Parser(List<Token> tokens, SourceMap map, Options options) {
    this.tokens = tokens;
    this.map = map;
    this.options = options;
  }

  /** Parses a whole text of rules. */
  public static Result parse(SourceMap map, Options options) {
    List<Token> tokens;
    try {
      tokens = Lexer.failoverLanguage(map.text());
    } catch (RuleProblem p) {
      return new Result(List.of(), List.of(p));
    }
    return new Parser(tokens, map, options).rules();
  }

  private Result rules() {
    List<Rule> rules = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    while (peek().kind() != Kind.END) {
      int start = at;
      try {
        rules.add(rule());
      } catch (RuleProblem p) {
        problems.add(p);
        recover(start);
      }
    }
    return new Result(rules, problems);
  }

  /** Skips past the next {@code ;} (at least one token), to read the following rule. */
  private void recover(int start) {
    if (at == start && peek().kind() != Kind.END) {
      at++;
    }
    while (peek().kind() != Kind.END) {
      Token t = tokens.get(at++);
      if (t.kind() == Kind.SEMICOLON) {
        return;
      }
    }
  }

  private Rule rule() throws RuleProblem {
    Token label = peek();
    if (label.kind() != Kind.WORD || !Vocabulary.isLabel(label.text())) {
      throw problem(label, "expected a rule label (label: if (expression) then action;)");
    }
    at++;
    expect(Kind.COLON, "':' after the label " + label.text());
    expectWord("if", "'if' after '" + label.text() + ":'");
    expect(Kind.LPAREN, "'(' after 'if'");
    Expr condition = expression();
    expect(Kind.RPAREN, "')' to close the condition of rule " + label.text());
    expectWord("then", "'then' after the condition of rule " + label.text());
    Rule rule = action(label, condition);
    expect(Kind.SEMICOLON, "';' at the end of rule " + label.text());
    return rule;
  }

  private Rule action(Token label, Expr condition) throws RuleProblem {
    Token word = peek();
    if (word.kind() != Kind.WORD) {
      throw problem(
          word,
          "expected an action after 'then': stop(), stopstart(), wait(), restart(), swap() or a resource assignment");
    }
    at++;
    if (peek().kind() == Kind.ASSIGN) {
      at++;
      Ref target = Operands.ref(word, options.mirror());
      if (target.remote() || target.wildcard()) {
        throw problem(word, "only a named local resource can be assigned, not " + target);
      }
      Token value = peek();
      at++;
      Operand v = Operands.operand(value, options.mirror());
      if (!(v instanceof Literal literal)) {
        throw problem(value, "a resource is assigned a state, a number or a percentage");
      }
      int line = map.line(label.offset());
      return new Rule(
          label.text(),
          condition,
          FailoverAction.SET_RESOURCE,
          target.name(),
          literal.text(),
          options.origin(),
          map.file(),
          line,
          map.column(label.offset()));
    }
    String name = word.text();
    boolean known =
        Vocabulary.ACTIONS.contains(name) && (options.internal() || !name.equals("wakeup"));
    if (!known) {
      throw new RuleProblem(
          word.offset(),
          "unknown action '"
              + name
              + "': expected stop(), stopstart(), wait(), restart(), swap() or a resource assignment",
          Vocabulary.suggest(name, Vocabulary.ACTIONS.subList(0, 5)));
    }
    if (peek().kind() != Kind.LPAREN) {
      throw problem(
          peek(), "expected '(' after '" + name + "': actions are written " + name + "()");
    }
    at++;
    expect(Kind.RPAREN, "')': actions take no argument");
    FailoverAction action = FailoverAction.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    return new Rule(
        label.text(),
        condition,
        action,
        null,
        null,
        options.origin(),
        map.file(),
        map.line(label.offset()),
        map.column(label.offset()));
  }

  private Expr expression() throws RuleProblem {
    return or();
  }

  private Expr or() throws RuleProblem {
    List<Expr> parts = new ArrayList<>();
    parts.add(and());
    while (peek().kind() == Kind.OR) {
      at++;
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new Expr.Or(parts);
  }

  private Expr and() throws RuleProblem {
    List<Expr> parts = new ArrayList<>();
    parts.add(unary());
    while (peek().kind() == Kind.AND) {
      at++;
      parts.add(unary());
    }
    return parts.size() == 1 ? parts.get(0) : new Expr.And(parts);
  }

  private Expr unary() throws RuleProblem {
    Token t = peek();
    if (t.kind() == Kind.NOT) {
      at++;
      return new Expr.Not(unary());
    }
    if (t.kind() == Kind.LPAREN) {
      at++;
      Expr inner = or();
      expect(Kind.RPAREN, "')'");
      return inner;
    }
    return comparison();
  }

  private Expr comparison() throws RuleProblem {
    Token leftToken = peek();
    Operand left = operand();
    Token opToken = peek();
    Op op =
        switch (opToken.kind()) {
          case EQ -> Op.EQ;
          case NE -> Op.NE;
          case LT -> Op.LT;
          case LE -> Op.LE;
          case GT -> Op.GT;
          case GE -> Op.GE;
          case ASSIGN -> throw problem(opToken, "'=' assigns: compare with '=='");
          default -> throw problem(opToken, "expected '==' or '!=' after " + leftToken.describe());
        };
    at++;
    Token rightToken = peek();
    Operand right = operand();
    return check(new Compare(left, op, right), leftToken, rightToken);
  }

  /** The comparisons that mean something; a literal goes to the right. */
  private Compare check(Compare c, Token leftToken, Token rightToken) throws RuleProblem {
    if (c.left() instanceof Literal && c.right() instanceof Literal) {
      throw problem(leftToken, "a comparison needs a resource or cluster() on one side");
    }
    if (c.left() instanceof Literal) {
      c = new Compare(c.right(), flip(c.op()), c.left());
      Token t = leftToken;
      leftToken = rightToken;
      rightToken = t;
    }
    if (c.right() instanceof Ref r && (r.wildcard() || ((Ref) c.left()).wildcard())) {
      throw problem(
          rightToken,
          "a resource with '?' or '*' is compared with a state, not with another resource");
    }
    if (c.right() instanceof Expr.Call
        || (c.left() instanceof Expr.Call && !(c.right() instanceof Literal))) {
      throw problem(rightToken, "cluster() is compared with a state");
    }
    if (c.op().ordered()) {
      if (!(c.right() instanceof Literal l) || !Vocabulary.isNumber(l.text())) {
        throw problem(
            rightToken, "'" + c.op().symbol() + "' compares with a number or a percentage");
      }
    }
    return c;
  }

  private static Op flip(Op op) {
    return switch (op) {
      case LT -> Op.GT;
      case LE -> Op.GE;
      case GT -> Op.LT;
      case GE -> Op.LE;
      default -> op;
    };
  }

  private Operand operand() throws RuleProblem {
    Token t = peek();
    if (t.kind() != Kind.WORD) {
      throw problem(t, "expected a resource, a state or cluster() but found " + t.describe());
    }
    at++;
    if (peek().kind() == Kind.LPAREN) {
      at++;
      expect(Kind.RPAREN, "')': functions take no argument");
      boolean known =
          t.text().equals("cluster") || (options.internal() && t.text().equals("wait_rules"));
      if (!known) {
        throw new RuleProblem(
            t.offset(),
            "unknown function '" + t.text() + "()': expected cluster()",
            Vocabulary.suggest(t.text(), List.of("cluster")));
      }
      return new Expr.Call(t.text());
    }
    return Operands.operand(t, options.mirror());
  }

  private Token peek() {
    return tokens.get(Math.min(at, tokens.size() - 1));
  }

  private void expect(Kind kind, String what) throws RuleProblem {
    Token t = peek();
    if (t.kind() != kind) {
      // at the end of the text, point right after the last token rather than at trailing blanks
      int offset = t.kind() == Kind.END && at > 0 ? end(tokens.get(at - 1)) : t.offset();
      throw new RuleProblem(offset, "expected " + what + " but found " + t.describe());
    }
    at++;
  }

  private static int end(Token t) {
    return t.offset() + t.text().length() + (t.kind() == Kind.STRING ? 2 : 0);
  }

  private void expectWord(String word, String what) throws RuleProblem {
    Token t = peek();
    if (t.kind() != Kind.WORD || !t.text().equals(word)) {
      throw problem(t, "expected " + what + " but found " + t.describe());
    }
    at++;
  }

  private static RuleProblem problem(Token t, String message) {
    return new RuleProblem(t.offset(), message);
  }
}
