package org.bulwark.web.internal.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.store.StoreException;

/**
 * Module snapshots (spec G.12, F.6 {@code safekit snapshot -m AM file.zip}): a new dump, then one
 * zip with {@code AM/dump_…/} for the last three dumps and {@code AM/config_…/module/} for the last
 * three configurations applied ({@code SAFE/modules/lastconfig}, spec B.21).
 */
final class Snapshots {
  private static final Pattern SAVED =
      Pattern.compile("_(\\d{4})(\\d{2})(\\d{2})_(\\d{2})(\\d{2})(\\d{2})\\.safe");

  private final Dumps dumps;
  private final SafeDirectories dirs;

  Snapshots(Dumps dumps, SafeDirectories dirs) {
    this.dumps = dumps;
    this.dirs = dirs;
  }

  /** Writes the snapshot of {@code module} to {@code target} (replaced whole, or untouched). */
  void snapshot(String module, Path target) throws IOException, StoreException {
    dumps.dump(module);
    Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
      for (Path dump : dumps.list(module)) {
        addTree(zip, dump, module + "/" + dump.getFileName());
      }
      for (Path saved : savedConfigurations(module)) {
        Matcher m = SAVED.matcher(saved.getFileName().toString().substring(module.length()));
        if (m.matches()) {
          String name =
              String.format(
                  "config_%s_%s_%s_%s_%s_%s",
                  m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
          addPackage(zip, saved, module + "/" + name + "/module/", module);
        }
      }
      zip.putNextEntry(new ZipEntry(module + "/tmp/"));
      zip.closeEntry();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code SAFE/modules/lastconfig/AM_<date>_<time>.safe}, the newest three. */
  private List<Path> savedConfigurations(String module) throws IOException {
    Path dir = dirs.modules().resolve("lastconfig");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    Pattern mine = Pattern.compile(Pattern.quote(module) + "_\\d{8}_\\d{6}\\.safe");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> mine.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .limit(3)
          .toList();
    }
  }

  private static void addTree(ZipOutputStream zip, Path root, String prefix) throws IOException {
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path p : tree.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          zip.putNextEntry(
              new ZipEntry(prefix + "/" + root.relativize(p).toString().replace('\\', '/')));
          Files.copy(p, zip);
          zip.closeEntry();
        }
      }
    }
  }

  /** The entries of a saved package under {@code prefix}, without its leading {@code AM/}. */
  private static void addPackage(ZipOutputStream zip, Path safe, String prefix, String module)
      throws IOException {
    try (InputStream in = Files.newInputStream(safe);
        ZipInputStream entries = new ZipInputStream(in)) {
      for (ZipEntry e; (e = entries.getNextEntry()) != null; ) {
        String name = e.getName();
        if (name.startsWith(module + "/")) {
          name = name.substring(module.length() + 1);
        }
        if (e.isDirectory() || name.isEmpty() || name.contains("..")) {
          continue;
        }
        zip.putNextEntry(new ZipEntry(prefix + name));
        copy(entries, zip);
        zip.closeEntry();
      }
    }
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    in.transferTo(out);
  }
}
