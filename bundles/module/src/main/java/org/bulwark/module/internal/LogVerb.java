package org.bulwark.module.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLog;
import org.bulwark.module.internal.VerbSupport.Args;

/**
 * {@code safekit log -m AM [-s N] [-A | -I]} (spec F.4, G.6): the newest N rows (default 300) of
 * the module log, one per line as {@code | time | component | level | message}; the main log by
 * default, every level with {@code -A} (or {@code -I}).
 */
final class LogVerb implements CliVerb {
  static final int DEFAULT_ROWS = 300;
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

  private final ModuleExtender modules;
  private final EventLog events;

  LogVerb(ModuleExtender modules, EventLog events) {
    this.modules = modules;
    this.events = events;
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public String summary() {
    return "print the module log";
  }

  @Override
  public String usage() {
    return "Usage: safekit log -m AM [-s N] [-A | -I]\n"
        + "  Prints the newest N rows (default 300) of the module log; -A (or -I) adds the\n"
        + "  verbose rows (levels I and D).";
  }

  @Override
  public boolean journaled(CliRequest request) {
    return false;
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    Args args = new Args(request.args());
    String size = args.option("-s");
    boolean verbose = args.flag("-A") | args.flag("-I");
    args.end();
    int rows = DEFAULT_ROWS;
    if (size != null) {
      try {
        rows = Integer.parseInt(size);
      } catch (NumberFormatException e) {
        rows = -1;
      }
      if (rows < 1 || rows > 100_000) {
        throw new IllegalArgumentException(
            "-s takes a number of rows from 1 to 100000, not '" + size + "'");
      }
    }
    if (request.module() == null) {
      throw new IllegalArgumentException("no module given: use -m AM");
    }
    if (modules.runtime(request.module()).isEmpty()) {
      out.err()
          .println("Error: module " + request.module() + " is not installed or not configured");
      return CliExit.FAILED;
    }
    List<EventEntry> entries = events.tail(request.module(), verbose, rows);
    for (EventEntry e : entries) {
      out.out().println(format(e));
    }
    return CliExit.OK;
  }

  /** The row layout of spec G.6. */
  static String format(EventEntry e) {
    return "| "
        + TIME.format(e.time())
        + " | "
        + e.component()
        + " | "
        + e.level()
        + " | "
        + e.message();
  }
}
