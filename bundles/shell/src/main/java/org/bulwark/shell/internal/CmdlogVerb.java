package org.bulwark.shell.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code safekit cmdlog [-s N]}: the newest rows of the commands log (spec G.7), one per line as
 * {@code time | type | module | id | START|END|I | text}; END rows leave type and module blank.
 */
@Component(service = CliVerb.class)
public final class CmdlogVerb implements CliVerb {
  static final int DEFAULT_ROWS = 300;
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

  private final CommandLog log;

  @Activate
  public CmdlogVerb(@Reference CommandLog log) {
    this.log = log;
  }

  @Override
  public String name() {
    return "cmdlog";
  }

  @Override
  public String summary() {
    return "print the commands log of this node";
  }

  @Override
  public String usage() {
    return "Usage: safekit cmdlog [-s N]\n"
        + "  Prints the newest N rows (default "
        + DEFAULT_ROWS
        + ") of the commands log: every command\n"
        + "  that changed the system, with its origin and its exit code.";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    int rows = rows(request.args());
    List<CommandLogEntry> entries = log.tail(rows);
    for (CommandLogEntry e : entries) {
      out.out().println(format(e));
    }
    return CliExit.OK;
  }

  static String format(CommandLogEntry e) {
    boolean end = e.kind() == CommandLogEntry.Kind.END;
    return TIME.format(e.time())
        + " | "
        + (end ? "" : e.type())
        + " | "
        + (end ? "" : e.module())
        + " | "
        + e.id()
        + " | "
        + e.kind()
        + " | "
        + e.text();
  }

  static int rows(List<String> args) {
    if (args.isEmpty()) {
      return DEFAULT_ROWS;
    }
    if (args.size() == 2 && args.get(0).equals("-s")) {
      try {
        int n = Integer.parseInt(args.get(1));
        if (n > 0 && n <= 100_000) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "-s takes a number of rows from 1 to 100000, not '" + args.get(1) + "'");
    }
    throw new IllegalArgumentException("unexpected argument '" + args.get(0) + "'");
  }
}
