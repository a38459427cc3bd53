package org.bulwark.deployer.internal;

import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;

/** The argument check shared by verbs that take {@code -m AM} and nothing else. */
final class VerbArgs {
  private VerbArgs() {}

  /** True when the request names a module and has no other argument; else prints why and usage. */
  static boolean moduleOnly(CliRequest request, CliOutput out, String usage) {
    if (request.module() != null && request.args().isEmpty()) {
      return true;
    }
    out.err()
        .println(
            request.module() == null
                ? "a module is required: -m AM"
                : "unexpected argument '" + request.args().get(0) + "'");
    out.err().println(usage);
    return false;
  }
}
