package org.bulwark.module.internal;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;

/** A {@link CliVerb} made of a name, texts and a body, for the many small module verbs. */
final class VerbSupport implements CliVerb {

  /** The body of a verb. */
  interface Body {
    int run(CliRequest request, CliOutput out) throws Exception;
  }

  private final String name;
  private final String summary;
  private final String usage;
  private final boolean journaled;
  private final Body body;

  VerbSupport(String name, String summary, String usage, boolean journaled, Body body) {
    this.name = name;
    this.summary = summary;
    this.usage = usage;
    this.journaled = journaled;
    this.body = body;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public String usage() {
    return usage;
  }

  @Override
  public boolean journaled(CliRequest request) {
    return journaled;
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    return body.run(request, out);
  }

  /** Arguments with their options taken out one by one; what remains must be empty at the end. */
  static final class Args {
    private final List<String> rest;

    Args(List<String> args) {
      this.rest = new ArrayList<>(args);
    }

    /** Removes {@code option value} and returns the value, or null when absent. */
    String option(String option) {
      int i = rest.indexOf(option);
      if (i < 0) {
        return null;
      }
      if (i + 1 >= rest.size()) {
        throw new IllegalArgumentException("option " + option + " needs a value");
      }
      String value = rest.remove(i + 1);
      rest.remove(i);
      return value;
    }

    /** Removes a flag and says whether it was there. */
    boolean flag(String flag) {
      return rest.remove(flag);
    }

    /** Removes and returns the first remaining argument, or null. */
    String next() {
      return rest.isEmpty() ? null : rest.remove(0);
    }

    /** Fails on anything left over. */
    void end() {
      if (!rest.isEmpty()) {
        throw new IllegalArgumentException("unexpected argument '" + rest.get(0) + "'");
      }
    }
  }
}
