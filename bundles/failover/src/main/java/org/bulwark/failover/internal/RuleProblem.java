package org.bulwark.failover.internal;

/** A mistake in a rules text at an offset; turned into a file:line:column error by the caller. */
public final class RuleProblem extends Exception {

  private static final long serialVersionUID = 1L;

  private final int offset;
  private final String suggestion;

  public RuleProblem(int offset, String message) {
    this(offset, message, null);
  }

  public RuleProblem(int offset, String message, String suggestion) {
    super(message, null, false, false);
    this.offset = offset;
    this.suggestion = suggestion;
  }

  public int offset() {
    return offset;
  }

  /** A fix when one is obvious ({@code did you mean 'stopstart'?}), or null. */
  public String suggestion() {
    return suggestion;
  }
}
