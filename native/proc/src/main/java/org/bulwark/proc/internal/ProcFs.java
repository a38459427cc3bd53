package org.bulwark.proc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.ProcessTable;
import org.osgi.service.component.annotations.Component;

/**
 * The process table read from {@code /proc} as plain files (docs/checkers.md "errd"): {@code
 * /proc/<pid>/stat} gives the kernel's command name and the parent, {@code /proc/<pid>/cmdline} the
 * arguments. They are text interfaces of the kernel, stable for decades, so no native call (JNA,
 * libprocps) is needed. A process that ends between the listing and the reads is left out.
 */
@Component(service = ProcessTable.class)
public final class ProcFs implements ProcessTable {
  private final Path root;

  public ProcFs() {
    this(Path.of("/proc"));
  }

  ProcFs(Path root) {
    this.root = root;
  }

  @Override
  public List<Process> list() throws IOException {
    List<Process> list = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          read(Long.parseLong(name), dir).ifPresent(list::add);
        }
      }
    }
    return list;
  }

  private static Optional<Process> read(long pid, Path dir) throws IOException {
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
      return parse(pid, stat, cmdline);
    } catch (NoSuchFileException | java.nio.file.AccessDeniedException gone) {
      return Optional.empty();
    } catch (IOException e) {
      // ESRCH while reading: the process ended
      if (!Files.exists(dir)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * {@code stat} is {@code pid (comm) state ppid …}; the name may hold spaces and parentheses, so
   * it runs to the last {@code )}. {@code cmdline} is the arguments separated by NULs; a kernel
   * thread has none, its arguments are then its name in brackets, as ps shows them. A zombie (state
   * Z, or X) has ended: errd does not count it.
   */
  static Optional<Process> parse(long pid, String stat, byte[] cmdline) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      return Optional.empty();
    }
    String comm = stat.substring(open + 1, close);
    String[] rest = stat.substring(close + 1).trim().split(" ");
    if (rest.length < 2) {
      return Optional.empty();
    }
    if (rest[0].equals("Z") || rest[0].equals("X")) {
      return Optional.empty(); // ended, not yet reaped: not running (PID 1 may never reap it)
    }
    long ppid = Long.parseLong(rest[1]);
    int end = cmdline.length;
    while (end > 0 && cmdline[end - 1] == 0) {
      end--;
    }
    String args =
        end == 0
            ? "[" + comm + "]"
            : new String(cmdline, 0, end, StandardCharsets.UTF_8).replace('\0', ' ');
    return Optional.of(new Process(pid, ppid, comm, args));
  }
}
