package org.bulwark.module.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit errd on|off|enable <class>|disable <class>|list -m AM} (spec B.10, F.3): the
 * persistent switch {@code usersetting.errd}; the user classes of {@code <proc class>} that scripts
 * switch on and off; the monitored processes, printed and written to {@code
 * SAFEVAR/modules/AM/errdlist}.
 */
final class ErrdVerb {
  private ErrdVerb() {}

  static CliVerb verb(Function<CliRequest, ModuleRuntime> module, Function<String, Path> userVar) {
    return new VerbSupport(
        "errd",
        "process monitoring: on|off (persistent), enable|disable <class>, list",
        "Usage: safekit errd on|off -m AM\n"
            + "       safekit errd enable|disable <class> -m AM\n"
            + "       safekit errd list -m AM\n"
            + "  on|off: all monitored processes (resource usersetting.errd)\n"
            + "  enable|disable: the <proc>s of that class (from the module's scripts)\n"
            + "  list: each <proc>'s resource, class, whether it is watched now, and its value;\n"
            + "  also written to SAFEVAR/modules/AM/errdlist",
        true,
        (request, out) -> {
          Args args = new Args(request.args());
          String word = args.next();
          String phase = "enable".equals(word) || "disable".equals(word) ? args.next() : null;
          args.end();
          ModuleRuntime m = module.apply(request);
          switch (word == null ? "" : word) {
            case "on", "off" -> {
              ModuleVerbs.within(
                  m.setResource("usersetting.errd", word, request.actor()),
                  ModuleVerbs.ANSWER,
                  "record it");
              m.toggled(); // spec F.3: the module's update, if it runs
              return CliExit.OK;
            }
            case "enable", "disable" -> {
              if (phase == null) {
                throw new IllegalArgumentException("errd " + word + " needs a class");
              }
              if (!m.checkers().enable(phase, word.equals("enable"))) {
                out.err().println("Error: module " + m.name + " has no <proc> of class " + phase);
                return CliExit.FAILED;
              }
              return CliExit.OK;
            }
            case "list" -> {
              List<String> procs =
                  m.checkers().list().stream().filter(l -> l.startsWith("proc.")).toList();
              procs.forEach(out.out()::println);
              write(userVar.apply(m.name).resolve("errdlist"), procs);
              return CliExit.OK;
            }
            default ->
                throw new IllegalArgumentException("errd takes on, off, enable, disable or list");
          }
        });
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }
}
