package org.bulwark.failover.internal;

import java.util.List;

/** A rule's condition (spec B.19 {@code expression}). */
public sealed interface Expr {

  /** {@code a && b && …}. */
  record And(List<Expr> parts) implements Expr {
    public And {
      parts = List.copyOf(parts);
    }
  }

  /** {@code a || b || …}. */
  record Or(List<Expr> parts) implements Expr {
    public Or {
      parts = List.copyOf(parts);
    }
  }

  /** {@code !a}. */
  record Not(Expr inner) implements Expr {}

  /** {@code left op right}, e.g. {@code intf.? == down}, {@code cluster() == down}. */
  record Compare(Operand left, Op op, Operand right) implements Expr {}

  /** Comparison operators: the spec's {@code ==} and {@code !=}, and ordering for numbers. */
  enum Op {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean ordered() {
      return this != EQ && this != NE;
    }
  }

  /** One side of a comparison. */
  sealed interface Operand {}

  /**
   * A resource reference {@code [local.|remote.]class.id} (spec B.19 "Module resources").
   *
   * @param remote {@code remote.} given
   * @param resourceClass {@code intf}, {@code rfs} …
   * @param id the name after the class, or {@code ?} (some resource of the class) or {@code *}
   *     (every resource of the class, and at least one)
   */
  record Ref(boolean remote, String resourceClass, String id) implements Operand {

    public boolean some() {
      return id.equals("?");
    }

    public boolean every() {
      return id.equals("*");
    }

    public boolean wildcard() {
      return some() || every();
    }

    public String name() {
      return resourceClass + "." + id;
    }

    @Override
    public String toString() {
      return (remote ? "remote." : "") + name();
    }
  }

  /**
   * A state ({@code up}, {@code down}, {@code init}, {@code unknown}, {@code PRIM} …), a number or
   * a percentage.
   */
  record Literal(String text) implements Operand {}

  /**
   * A function: {@code cluster()} (spec C.6), and for the internal rules only {@code wait_rules()},
   * up while the condition of some wait rule holds (rule {@code Implicit_wakeup}).
   */
  record Call(String name) implements Operand {}
}
