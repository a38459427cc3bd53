package org.bulwark.web.internal.support;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.CommandLogEntry;
import org.bulwark.api.store.EventEntry;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.api.store.StoreException;

/**
 * Module dumps (spec G.12, F.6 {@code safekit dump -m AM}): {@code
 * SAFEVAR/snapshot/modules/AM/dump_YYYY_MM_DD_hh_mm_ss/} with the module log (main and verbose),
 * its resources and their history, the commands log and the modules as CSV and text, and the
 * applied {@code cluster.xml}; the last {@value #KEPT} dumps are kept.
 */
final class Dumps {
  static final int KEPT = 3;

  /** Rows of a log or a history written at most, the newest. */
  static final int MAX_ROWS = 100_000;

  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");
  private static final DateTimeFormatter ROW_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final NodeEnvironment env;
  private final ModuleRegistry modules;
  private final EventLog events;
  private final ResourceHistory resources;
  private final CommandLog commands;
  private final Clock clock;

  Dumps(
      NodeEnvironment env,
      ModuleRegistry modules,
      EventLog events,
      ResourceHistory resources,
      CommandLog commands,
      Clock clock) {
    this.env = env;
    this.modules = modules;
    this.events = events;
    this.resources = resources;
    this.commands = commands;
    this.clock = clock;
  }

  /** {@code SAFEVAR/snapshot/modules/AM}. */
  Path folder(String module) {
    return env.directories().safeVar().resolve("snapshot").resolve("modules").resolve(module);
  }

  /** The dumps of {@code module}, oldest first. */
  List<Path> list(String module) throws IOException {
    Path dir = folder(module);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("dump_\\d{4}(_\\d{2}){5}"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  /** Writes a new dump of {@code module}, keeps the last {@value #KEPT}; returns its folder. */
  Path dump(String module) throws IOException, StoreException {
    String stamp = STAMP.format(clock.instant().atZone(clock.getZone()));
    Path target = folder(module).resolve("dump_" + stamp);
    Path partial = folder(module).resolve(".dump_" + stamp);
    deleteTree(partial);
    Files.createDirectories(partial.resolve("csv"));
    writeLogs(module, partial);
    writeResources(module, partial.resolve("csv"));
    writeCommands(partial);
    writeModules(partial.resolve("csv").resolve("modules.csv"));
    copyUserLogs(module, partial.resolve("userlog"));
    Path cluster = env.directories().cluster().resolve("cluster.xml");
    if (Files.isRegularFile(cluster)) {
      Path copy = Files.createDirectories(partial.resolve("var").resolve("cluster"));
      Files.copy(cluster, copy.resolve("cluster.xml"));
    }
    deleteTree(target); // a dump in the same second replaces the first
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    List<Path> all = list(module);
    for (int i = 0; i < all.size() - KEPT; i++) {
      deleteTree(all.get(i));
    }
    return target;
  }

  private void writeLogs(String module, Path dir) throws IOException, StoreException {
    for (boolean verbose : new boolean[] {false, true}) {
      List<EventEntry> rows = events.tail(module, verbose, MAX_ROWS);
      String name = verbose ? "logverbose" : "log";
      try (Writer text = writer(dir.resolve(name + ".txt"))) {
        for (EventEntry e : rows) {
          text.write(
              "| "
                  + ROW_TIME.format(e.time().atZone(clock.getZone()))
                  + " | "
                  + e.component()
                  + " | "
                  + e.level()
                  + " | "
                  + e.message()
                  + "\n");
        }
      }
      if (verbose) {
        try (Writer csv = writer(dir.resolve("csv").resolve("logverbose.csv"))) {
          csv.write("seq,time,component,level,message\n");
          for (EventEntry e : rows) {
            Csv.row(csv, e.seq(), e.time(), e.component(), e.level(), e.message());
          }
        }
      }
    }
  }

  private void writeResources(String module, Path csvDir) throws IOException, StoreException {
    List<ResourceEntry> current = resources.current(module);
    try (Writer csv = writer(csvDir.resolve("resource.csv"))) {
      csv.write("name,value,setter,time\n");
      for (ResourceEntry r : current) {
        Csv.row(csv, r.name(), r.value(), r.setter(), r.time());
      }
    }
    try (Writer csv = writer(csvDir.resolve("resourcelog.csv"))) {
      csv.write("time,name,value,setter\n");
      List<ResourceEntry> history = new ArrayList<>();
      for (ResourceEntry r : current) {
        history.addAll(resources.history(module, r.name(), MAX_ROWS));
      }
      history.sort(Comparator.comparing(ResourceEntry::time));
      for (ResourceEntry r : history) {
        Csv.row(csv, r.time(), r.name(), r.value(), r.setter());
      }
    }
  }

  private void writeCommands(Path dir) throws IOException, StoreException {
    List<CommandLogEntry> rows = commands.tail(MAX_ROWS);
    try (Writer csv = writer(dir.resolve("csv").resolve("commandlog.csv"));
        Writer text = writer(dir.resolve("commandlog.txt"))) {
      csv.write("time,type,module,id,kind,text\n");
      for (CommandLogEntry c : rows) {
        Csv.row(csv, c.time(), c.type(), c.module(), c.id(), c.kind(), c.text());
        text.write(
            ROW_TIME.format(c.time().atZone(clock.getZone()))
                + " | "
                + c.type()
                + " | "
                + c.module()
                + " | "
                + c.id()
                + " | "
                + c.kind()
                + " | "
                + c.text()
                + "\n");
      }
    }
  }

  private void writeModules(Path file) throws IOException {
    try (Writer csv = writer(file)) {
      csv.write("name,id,kind,state\n");
      for (ModuleStatus m : modules.modules()) {
        Csv.row(csv, m.name(), m.id(), m.kind(), m.local());
      }
    }
  }

  /** The module's application logs ({@code SAFEVAR/modules/AM/userlog_*.ulog}). */
  private void copyUserLogs(String module, Path target) throws IOException {
    Path dir = env.directories().userVar(module);
    if (!Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("userlog_") && name.endsWith(".ulog") && Files.isRegularFile(p)) {
          Files.copy(p, target.resolve(name));
        }
      }
    }
  }

  private static Writer writer(Path file) throws IOException {
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
