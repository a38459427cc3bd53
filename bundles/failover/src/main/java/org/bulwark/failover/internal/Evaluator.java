package org.bulwark.failover.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.bulwark.failover.ResourceSnapshot;
import org.bulwark.failover.internal.Expr.Call;
import org.bulwark.failover.internal.Expr.Compare;
import org.bulwark.failover.internal.Expr.Literal;
import org.bulwark.failover.internal.Expr.Op;
import org.bulwark.failover.internal.Expr.Ref;

/**
 * Whether a condition holds over a snapshot (spec B.19):
 *
 * <ul>
 *   <li>a named resource that does not exist makes its comparison false, whatever the operator: a
 *       rule about a checker that is not configured never fires;
 *   <li>{@code class.?} holds when some resource of the class satisfies the comparison, {@code
 *       class.*} when there is at least one and every one does;
 *   <li>{@code init} is a value like any other: {@code tcp.x == down} is false while {@code tcp.x}
 *       is {@code init};
 *   <li>numbers and percentages compare by value ({@code 50%} equals {@code 50.0%}).
 * </ul>
 */
public final class Evaluator {

  private final ResourceSnapshot snapshot;
  private final boolean waitRulesHold;

  /**
   * @param snapshot the resources
   * @param waitRulesHold the value of the internal {@code wait_rules()}: whether the condition of
   *     some wait rule holds now
   */
  public Evaluator(ResourceSnapshot snapshot, boolean waitRulesHold) {
    this.snapshot = snapshot;
    this.waitRulesHold = waitRulesHold;
  }

  public boolean holds(Expr e) {
    if (e instanceof Expr.And and) {
      return and.parts().stream().allMatch(this::holds);
    }
    if (e instanceof Expr.Or or) {
      return or.parts().stream().anyMatch(this::holds);
    }
    if (e instanceof Expr.Not not) {
      return !holds(not.inner());
    }
    return compare((Compare) e);
  }

  private boolean compare(Compare c) {
    if (c.left() instanceof Call call) {
      String v = call.name().equals("cluster") ? snapshot.cluster() : waitRulesHold ? "up" : "down";
      return matches(v, c.op(), ((Literal) c.right()).text());
    }
    Ref left = (Ref) c.left();
    if (c.right() instanceof Ref right) {
      Optional<String> a = snapshot.value(left.remote(), left.name());
      Optional<String> b = snapshot.value(right.remote(), right.name());
      if (a.isEmpty() || b.isEmpty()) {
        return false;
      }
      return matches(a.get(), c.op(), b.get());
    }
    String literal = ((Literal) c.right()).text();
    Predicate<String> test = v -> matches(v, c.op(), literal);
    if (left.wildcard()) {
      List<String> values = snapshot.values(left.remote(), left.resourceClass());
      return left.some()
          ? values.stream().anyMatch(test)
          : !values.isEmpty() && values.stream().allMatch(test);
    }
    return snapshot.value(left.remote(), left.name()).map(test::test).orElse(false);
  }

  /** {@code value op literal}. */
  static boolean matches(String value, Op op, String literal) {
    boolean numbers = Vocabulary.isNumber(value) && Vocabulary.isNumber(literal);
    if (op.ordered()) {
      if (!numbers) {
        return false;
      }
      int c = Double.compare(Vocabulary.number(value), Vocabulary.number(literal));
      return switch (op) {
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        default -> c >= 0;
      };
    }
    boolean equal =
        numbers
            ? Double.compare(Vocabulary.number(value), Vocabulary.number(literal)) == 0
            : value.equals(literal);
    return op == Op.EQ ? equal : !equal;
  }

  /** Every resource reference of a condition, for the {@code init} check of wait rules. */
  public static void refs(Expr e, List<Ref> out) {
    if (e instanceof Expr.And and) {
      and.parts().forEach(p -> refs(p, out));
    } else if (e instanceof Expr.Or or) {
      or.parts().forEach(p -> refs(p, out));
    } else if (e instanceof Expr.Not not) {
      refs(not.inner(), out);
    } else if (e instanceof Compare c) {
      if (c.left() instanceof Ref r) {
        out.add(r);
      }
      if (c.right() instanceof Ref r) {
        out.add(r);
      }
    }
  }
}
