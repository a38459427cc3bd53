package org.bulwark.web.internal.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.env.NodeEnvironment;

/**
 * {@code safekit dump -m AM} and {@code safekit snapshot -m AM /abs/file.zip} (spec F.6, G.12): the
 * support verbs, over the node's logs, resources and commands log. The REST API's snapshot download
 * runs {@code snapshot} into a temporary file.
 */
final class SupportVerbs {
  private SupportVerbs() {}

  /** The module of the request, installed here, or null after printing why not. */
  static String module(CliRequest request, NodeEnvironment env, CliOutput out) {
    String module = request.module();
    if (module == null) {
      out.err().println("Error: -m <module> is required");
      return null;
    }
    if (!module.matches("[A-Za-z0-9_-]{1,64}")
        || !Files.isDirectory(env.directories().modules().resolve(module))) {
      out.err().println("Error: module " + module + " is not installed");
      return null;
    }
    return module;
  }

  /** {@code dump -m AM}. */
  static int dump(SupportServices s, CliRequest request, CliOutput out) throws Exception {
    if (!request.args().isEmpty()) {
      out.err().println("Error: unexpected argument '" + request.args().get(0) + "'");
      return CliExit.USAGE;
    }
    String module = module(request, s.env(), out);
    if (module == null) {
      return request.module() == null ? CliExit.USAGE : CliExit.FAILED;
    }
    Path dump = s.dumps().dump(module);
    out.out().println("Dump of " + module + " in " + dump);
    return CliExit.OK;
  }

  /** {@code snapshot -m AM /abs/file.zip}. */
  static int snapshot(SupportServices s, CliRequest request, CliOutput out) throws Exception {
    List<String> args = request.args();
    if (args.size() != 1 || !Path.of(args.get(0)).isAbsolute()) {
      out.err().println("Error: usage: safekit snapshot -m AM /absolute/file.zip");
      return CliExit.USAGE;
    }
    String module = module(request, s.env(), out);
    if (module == null) {
      return request.module() == null ? CliExit.USAGE : CliExit.FAILED;
    }
    Path target = Path.of(args.get(0));
    if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      out.err().println("Error: no folder " + target.getParent() + " for " + target);
      return CliExit.FAILED;
    }
    new Snapshots(s.dumps(), s.env().directories()).snapshot(module, target);
    out.out().println("Snapshot of " + module + " in " + target);
    return CliExit.OK;
  }
}
