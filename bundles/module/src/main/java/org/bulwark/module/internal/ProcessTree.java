package org.bulwark.module.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * {@code safekit -r processtree list|kill <comm>|all [<regex>]} (spec E.5, F.6): the processes
 * whose command name is {@code comm} (or any, with {@code all}) and whose full command line matches
 * {@code regex}, each with its whole tree of descendants; {@code kill} sends them SIGKILL, the tops
 * first so that none of them starts a new child meanwhile. The node itself and its ancestors are
 * never selected, nor the {@code safekit} client that asks and its callers, and {@code kill all}
 * needs a regex: it would otherwise kill every process.
 */
final class ProcessTree {

  /**
   * One process as the table shows it.
   *
   * @param pid process id
   * @param ppid parent's id (0 for none)
   * @param comm command name ({@code /proc/<pid>/comm}, at most 15 characters)
   * @param command full command line, arguments separated by spaces
   */
  record Proc(long pid, long ppid, String comm, String command) {
    String line() {
      return pid + " " + ppid + " " + comm + " " + command;
    }
  }

  /** The process table: read it, kill one process. */
  interface Table {
    List<Proc> processes();

    boolean kill(long pid);

    /** Processes never to select: this one and its ancestors. */
    Set<Long> protectedPids();
  }

  private ProcessTree() {}

  /** What {@code list} and {@code kill} act on, tops first, then descendants breadth-first. */
  static List<Proc> select(List<Proc> table, String comm, String regex, Set<Long> protectedPids) {
    if (comm == null || comm.isBlank()) {
      throw new IllegalArgumentException("processtree needs a command name or all");
    }
    Pattern pattern = null;
    if (regex != null) {
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression '" + regex + "': " + e.getDescription());
      }
    }
    Map<Long, List<Proc>> children = new HashMap<>();
    for (Proc p : table) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
    }
    Set<Proc> selected = new LinkedHashSet<>();
    for (Proc p : table) {
      boolean named = comm.equals("all") || p.comm().equals(comm);
      if (named && (pattern == null || pattern.matcher(p.command()).find())) {
        selected.add(p);
      }
    }
    List<Proc> ordered = new ArrayList<>(selected);
    for (int i = 0; i < ordered.size(); i++) {
      for (Proc child : children.getOrDefault(ordered.get(i).pid(), List.of())) {
        if (selected.add(child)) {
          ordered.add(child);
        }
      }
    }
    ordered.removeIf(p -> protectedPids.contains(p.pid()));
    return ordered;
  }

  /** {@code list} or {@code kill}: the lines to print; kill acts on every selected process. */
  static List<String> run(Table table, List<String> args) {
    if (args.isEmpty() || !(args.get(0).equals("list") || args.get(0).equals("kill"))) {
      throw new IllegalArgumentException("processtree takes list or kill");
    }
    if (args.size() < 2 || args.size() > 3) {
      throw new IllegalArgumentException(
          "processtree " + args.get(0) + " takes <comm>|all and an optional regex");
    }
    boolean kill = args.get(0).equals("kill");
    String comm = args.get(1);
    String regex = args.size() == 3 ? args.get(2) : null;
    if (kill && comm.equals("all") && regex == null) {
      throw new IllegalArgumentException("processtree kill all needs a regex on the command line");
    }
    List<Proc> processes = table.processes();
    Set<Long> spared = new LinkedHashSet<>(table.protectedPids());
    spared.addAll(requesters(processes));
    List<Proc> chosen = select(processes, comm, regex, spared);
    List<String> lines = new ArrayList<>();
    for (Proc p : chosen) {
      if (kill) {
        lines.add((table.kill(p.pid()) ? "killed " : "gone ") + p.line());
      } else {
        lines.add(p.line());
      }
    }
    return lines;
  }

  /**
   * The {@code safekit -r processtree} clients and their ancestors (the script that asked): a regex
   * that matches their own command line must not make them kill themselves.
   */
  static Set<Long> requesters(List<Proc> processes) {
    Map<Long, Long> parents = new HashMap<>();
    for (Proc p : processes) {
      parents.put(p.pid(), p.ppid());
    }
    Set<Long> pids = new LinkedHashSet<>();
    for (Proc p : processes) {
      if (p.comm().equals("safekit") && p.command().contains(" processtree ")) {
        for (Long pid = p.pid(); pid != null && pid > 0 && pids.add(pid); pid = parents.get(pid)) {
          // up to the root
        }
      }
    }
    return pids;
  }

  /** The table of this Linux machine, read from {@code /proc}. */
  static final class Linux implements Table {
    private final Path proc;

    Linux(Path proc) {
      this.proc = proc;
    }

    @Override
    public List<Proc> processes() {
      List<Proc> all = new ArrayList<>();
      try (Stream<Path> entries = Files.list(proc)) {
        entries
            .map(p -> p.getFileName().toString())
            .filter(name -> name.chars().allMatch(Character::isDigit))
            .forEach(name -> read(Long.parseLong(name)).ifPresent(all::add));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the process table " + proc + ": " + e);
      }
      return all;
    }

    private Optional<Proc> read(long pid) {
      Path dir = proc.resolve(Long.toString(pid));
      try {
        String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
        String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so from the last ')'
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ppid = Long.parseLong(after[1]);
        byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
        String command = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        return Optional.of(
            new Proc(pid, ppid, comm, command.isEmpty() ? "[" + comm + "]" : command));
      } catch (IOException | RuntimeException e) {
        return Optional.empty(); // it ended while being read
      }
    }

    @Override
    public boolean kill(long pid) {
      return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
    }

    @Override
    public Set<Long> protectedPids() {
      Set<Long> pids = new LinkedHashSet<>();
      for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
          p.isPresent();
          p = p.get().parent()) {
        pids.add(p.get().pid());
      }
      pids.add(1L);
      return pids;
    }
  }
}
