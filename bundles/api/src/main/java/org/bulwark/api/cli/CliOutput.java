package org.bulwark.api.cli;

import java.io.PrintWriter;

/** Where a verb writes: the client's standard output and standard error, streamed as written. */
public interface CliOutput {

  /** The client's standard output. */
  PrintWriter out();

  /** The client's standard error. */
  PrintWriter err();
}
