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
  /** What the verb does with the rows. */
  enum Mode {
    LOG,
    LOGVIEW,
    LOGSAVE
  }

  static final int DEFAULT_ROWS = 300;
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneId.systemDefault());

  /** How often {@code logview} looks for new rows. */
  static final long FOLLOW_MILLIS = 300;

  private final ModuleExtender modules;
  private final EventLog events;
  private final Mode mode;

  LogVerb(ModuleExtender modules, EventLog events, Mode mode) {
    this.modules = modules;
    this.events = events;
    this.mode = mode;
  }

  @Override
  public String name() {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String summary() {
    return switch (mode) {
      case LOG -> "print the module log";
      case LOGVIEW -> "print the module log and follow it as it grows (local only)";
      case LOGSAVE -> "save the module log to a file";
    };
  }

  @Override
  public String usage() {
    String verbose = "  -A (or -I) adds the verbose rows (levels I and D).";
    return switch (mode) {
      case LOG ->
          "Usage: safekit log -m AM [-s N] [-A | -I]\n"
              + "  Prints the newest N rows (default 300) of the module log.\n"
              + verbose;
      case LOGVIEW ->
          "Usage: safekit logview -m AM [-s N] [-A | -I]\n"
              + "  Prints the newest N rows, then every new row until interrupted.\n"
              + verbose;
      case LOGSAVE ->
          "Usage: safekit logsave -m AM [-A | -I] <absolute file>\n"
              + "  Writes the whole module log (main rows, or all with -A) to the file.\n"
              + verbose;
    };
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
    String file = mode == Mode.LOGSAVE ? args.next() : null;
    args.end();
    if (mode == Mode.LOGSAVE && (file == null || !java.nio.file.Path.of(file).isAbsolute())) {
      throw new IllegalArgumentException("logsave needs an absolute file name");
    }
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
    if (mode == Mode.LOGSAVE) {
      return save(request.module(), verbose, java.nio.file.Path.of(file), out);
    }
    List<EventEntry> entries = events.tail(request.module(), verbose, rows);
    long last = 0;
    for (EventEntry e : entries) {
      out.out().println(format(e));
      last = e.seq();
    }
    if (mode == Mode.LOGVIEW) {
      follow(request.module(), verbose, last, out);
    }
    return CliExit.OK;
  }

  /** Prints new rows as they come, until the client goes away (its socket closes). */
  private void follow(String module, boolean verbose, long after, CliOutput out) throws Exception {
    long last = after;
    while (!out.out().checkError()) {
      List<EventEntry> rows = events.read(module, last, verbose, 1000);
      for (EventEntry e : rows) {
        out.out().println(format(e));
        last = e.seq();
      }
      if (rows.isEmpty()) {
        out.out().flush();
        Thread.sleep(FOLLOW_MILLIS); // a poll interval, not a synchronisation
      }
    }
  }

  private int save(String module, boolean verbose, java.nio.file.Path file, CliOutput out)
      throws Exception {
    java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long last = 0;
    int count = 0;
    try (java.io.BufferedWriter w = java.nio.file.Files.newBufferedWriter(tmp)) {
      while (true) {
        List<EventEntry> rows = events.read(module, last, verbose, 10_000);
        if (rows.isEmpty()) {
          break;
        }
        for (EventEntry e : rows) {
          w.write(format(e));
          w.newLine();
          last = e.seq();
          count++;
        }
      }
    }
    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    out.out().println(count + " rows saved to " + file);
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
