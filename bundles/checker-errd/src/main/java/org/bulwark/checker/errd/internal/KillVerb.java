package org.bulwark.checker.errd.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit kill -name=<comm> [-argregex=<re>] -level=test|terminate|15|9} (spec B.10, E.5):
 * the processes errd would count for such a {@code <proc>}, listed ({@code test}) or signalled: 15
 * sends SIGTERM, 9 SIGKILL, {@code terminate} SIGTERM then SIGKILL to those still there after
 * {@link #GRACE}. This node's own process is never signalled.
 */
@Component(service = CliVerb.class)
public final class KillVerb implements CliVerb {
  static final Duration GRACE = Duration.ofSeconds(5);

  private final ProcessTable processes;

  @Activate
  public KillVerb(@Reference ProcessTable processes) {
    this.processes = processes;
  }

  @Override
  public String name() {
    return "kill";
  }

  @Override
  public String summary() {
    return "list or signal the processes of a command name (errd's matching)";
  }

  @Override
  public String usage() {
    return "Usage: safekit kill -name=<command> [-argregex=<regex>] -level=test|terminate|15|9\n"
        + "  test: list them; 15: SIGTERM; 9: SIGKILL; terminate: SIGTERM, then SIGKILL after "
        + GRACE.toSeconds()
        + " s";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return !request.args().contains("-level=test");
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    String name = null;
    String level = null;
    Optional<Pattern> args = Optional.empty();
    for (String a : request.args()) {
      if (a.startsWith("-name=")) {
        name = a.substring("-name=".length());
      } else if (a.startsWith("-level=")) {
        level = a.substring("-level=".length());
      } else if (a.startsWith("-argregex=")) {
        try {
          args = Optional.of(Pattern.compile(a.substring("-argregex=".length())));
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("-argregex: " + e.getDescription());
        }
      } else {
        throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    if (name == null || name.isEmpty() || level == null) {
      throw new IllegalArgumentException("kill needs -name=<command> and -level=<level>");
    }
    if (!List.of("test", "terminate", "15", "9").contains(level)) {
      throw new IllegalArgumentException("-level must be test, terminate, 15 or 9, not " + level);
    }
    ProcessMatch match = new ProcessMatch(name, Optional.empty(), args);
    long self = ProcessHandle.current().pid();
    List<ProcessTable.Process> found =
        processes.list().stream().filter(match::matches).filter(p -> p.pid() != self).toList();
    for (ProcessTable.Process p : found) {
      out.out().println(p.pid() + " " + p.args());
      Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
      switch (level) {
        case "9" -> h.ifPresent(ProcessHandle::destroyForcibly);
        case "15", "terminate" -> h.ifPresent(ProcessHandle::destroy);
        default -> {}
      }
    }
    if (level.equals("terminate")) {
      for (ProcessTable.Process p : found) {
        Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
        if (h.isPresent()) {
          try {
            h.get().onExit().get(GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.TimeoutException e) {
            h.get().destroyForcibly();
          }
        }
      }
    }
    return CliExit.OK;
  }
}
