package org.bulwark.failover.internal;

import java.util.Objects;
import org.bulwark.failover.FailoverAction;

/**
 * One compiled rule: {@code label: if (condition) then action;}.
 *
 * @param label the rule's name, the identity of its actions
 * @param condition when it holds
 * @param action what it does
 * @param target for a resource assignment, the local resource set; else null
 * @param value for a resource assignment, the value set; else null
 * @param origin where it comes from
 * @param file the file it was read from ({@code userconfig.xml}, or an embedded rules file)
 * @param line its line there
 * @param column the column of its label there
 */
public record Rule(
    String label,
    Expr condition,
    FailoverAction action,
    String target,
    String value,
    Origin origin,
    String file,
    int line,
    int column) {

  /** Where a rule comes from (spec B.19 "Failover rules"). */
  public enum Origin {
    /** The default rules of the checkers: module, intf, ip, splitbrain. */
    DEFAULT,
    /** Generated from a tcp, ping or custom checker's {@code action}. */
    GENERATED,
    /** Internal rules of replication and of the machine itself: never removed. */
    INTERNAL,
    /** Written by the administrator in {@code <failover>}. */
    USER
  }

  public Rule {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(origin, "origin");
  }

  /** {@code file:line:column}, where the rule was written. */
  public String where() {
    return file + ":" + line + ":" + column;
  }
}
