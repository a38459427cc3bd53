package org.bulwark.failover.internal;

import org.bulwark.failover.internal.Expr.Literal;
import org.bulwark.failover.internal.Expr.Operand;
import org.bulwark.failover.internal.Expr.Ref;
import org.bulwark.failover.internal.Token.Kind;

/**
 * What a word stands for in a comparison or an assignment: a state, a number, a percentage, or a
 * resource reference {@code [local.|remote.]class.id} (spec B.19 "Module resources"). Shared by the
 * native parser and the Lua {@code if_then} reader.
 */
final class Operands {

  private Operands() {}

  /** A state, number, percentage or resource reference. */
  static Operand operand(Token t, boolean mirror) throws RuleProblem {
    String w = t.text();
    if (t.kind() != Kind.WORD) {
      throw new RuleProblem(
          t.offset(), "expected a state, a number or a percentage but found " + t.describe());
    }
    if (Vocabulary.isNumber(w) || Vocabulary.STATES.contains(w)) {
      return new Literal(w);
    }
    if (w.indexOf('.') > 0) {
      return ref(t, mirror);
    }
    throw new RuleProblem(
        t.offset(),
        "unknown state '"
            + w
            + "': expected up, down, init, unknown, a module state (STOP, WAIT, ALONE, PRIM, SECOND, UP), a number, a percentage or a resource class.id",
        Vocabulary.suggest(w, Vocabulary.STATES));
  }

  /** {@code [local.|remote.]class.id}; {@code remote.} only in a mirror module (spec B.19). */
  static Ref ref(Token t, boolean mirror) throws RuleProblem {
    String w = t.text();
    boolean remote = false;
    int start = 0;
    if (w.startsWith("remote.")) {
      remote = true;
      start = "remote.".length();
    } else if (w.startsWith("local.")) {
      start = "local.".length();
    }
    if (remote && !mirror) {
      throw new RuleProblem(
          t.offset(),
          "remote resources exist only in mirror modules: a farm rule reads local resources ("
              + w
              + ")");
    }
    int dot = w.indexOf('.', start);
    String cls = dot < 0 ? w.substring(start) : w.substring(start, dot);
    if (!Vocabulary.CLASSES.contains(cls)) {
      throw new RuleProblem(
          t.offset() + start,
          "unknown resource class '"
              + cls
              + "' in "
              + w
              + ": expected one of "
              + String.join(", ", Vocabulary.CLASSES),
          Vocabulary.suggest(cls, Vocabulary.CLASSES));
    }
    String id = dot < 0 ? "" : w.substring(dot + 1);
    if (id.isEmpty()) {
      throw new RuleProblem(
          t.offset(),
          "resource '" + w + "' needs an id: " + cls + ".<name>, " + cls + ".? or " + cls + ".*");
    }
    boolean wild = id.equals("?") || id.equals("*");
    if (!wild && (id.indexOf('?') >= 0 || id.indexOf('*') >= 0)) {
      throw new RuleProblem(
          t.offset() + dot + 1,
          "'?' and '*' stand for a whole resource id ("
              + cls
              + ".? some, "
              + cls
              + ".* every), not part of a name: "
              + w);
    }
    if (id.indexOf('%') >= 0) {
      throw new RuleProblem(t.offset(), "'%' is not part of a resource name: " + w);
    }
    return new Ref(remote, cls, id);
  }
}
