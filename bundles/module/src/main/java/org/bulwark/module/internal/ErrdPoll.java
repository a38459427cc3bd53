package org.bulwark.module.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;

/**
 * {@code safekit -r errdpoll_running} (spec B.10): every process as errd sees it, one line each,
 * {@code <pid> <comm> <cmdline> (parent=<ppid>)}, written to {@code SAFEVAR/errdpoll_reserrd} to
 * help write {@code name}, {@code nameregex} and {@code argregex}.
 */
final class ErrdPoll {
  private ErrdPoll() {}

  static int dump(Optional<ProcessTable> table, Path safeVar, CliOutput out) throws Exception {
    if (table.isEmpty()) {
      out.err().println("Error: no process table on this node (feature bulwark-proc)");
      return CliExit.FAILED;
    }
    List<String> lines =
        table.get().list().stream()
            .sorted((a, b) -> Long.compare(a.pid(), b.pid()))
            .map(p -> p.pid() + " " + p.comm() + " " + p.args() + " (parent=" + p.ppid() + ")")
            .toList();
    Path file = safeVar.resolve("errdpoll_reserrd");
    Files.createDirectories(safeVar);
    Files.write(file, lines);
    out.out().println(lines.size() + " processes written to " + file);
    return CliExit.OK;
  }
}
