package org.bulwark.api.cli;

import java.io.PrintWriter;

/** Where a verb writes: the client's standard output and standard error, streamed as written. */
public interface CliOutput {

  /** The client's standard output. */
  PrintWriter out();

  /** The client's standard error. */
  PrintWriter err();

  /** An output writing to these two writers (tests, in-process callers). */
  static CliOutput of(PrintWriter out, PrintWriter err) {
    return new CliOutput() {
      @Override
      public PrintWriter out() {
        return out;
      }

      @Override
      public PrintWriter err() {
        return err;
      }
    };
  }
}
