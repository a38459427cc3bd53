package org.bulwark.deployer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks and extracts a {@code .safe} package (spec B.21). Both layouts exist: {@code
 * AM/conf/userconfig.xml} (one top folder, stripped) and {@code conf/userconfig.xml} at the root.
 * Refused before writing anything: names with {@code ..}, absolute or drive paths, duplicates,
 * entries outside the top folder, devices, links leaving the module, too many entries, a declared
 * size over the limit. While writing, the real byte count is checked too (a zip may lie about
 * sizes). The caller extracts into a fresh directory and deletes it on any failure.
 */
final class SafeArchive {

  static final String USERCONFIG = "conf/userconfig.xml";

  /** Limits on what one package may hold. */
  record Limits(int maxEntries, long maxBytes) {
    static final Limits DEFAULT = new Limits(10_000, 256L * 1024 * 1024);
  }

  private final Path file;
  private final Map<String, ZipDirectory.Entry> entries;

  private SafeArchive(Path file, Map<String, ZipDirectory.Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  /**
   * Reads and checks the listing of {@code file}.
   *
   * @throws ArchiveException naming the file and the offending entry
   */
  static SafeArchive open(Path file, Limits limits) throws ArchiveException {
    List<ZipDirectory.Entry> raw;
    try {
      raw = ZipDirectory.read(file, limits.maxEntries());
    } catch (IOException e) {
      throw new ArchiveException(file + ": " + e.getMessage());
    }
    List<ZipDirectory.Entry> checked = new ArrayList<>();
    long declared = 0;
    Set<String> seen = new HashSet<>();
    for (ZipDirectory.Entry entry : raw) {
      String name = checkName(file, entry.name());
      if (!seen.add(name)) {
        throw new ArchiveException(file + ": duplicate entry '" + entry.name() + "'");
      }
      if (entry.isSpecial()) {
        throw new ArchiveException(file + ": entry '" + name + "' is a device, fifo or socket");
      }
      declared += entry.size();
      if (declared > limits.maxBytes()) {
        throw new ArchiveException(
            file + ": too large: more than " + limits.maxBytes() + " bytes uncompressed");
      }
      checked.add(entry);
    }
    String top = topFolder(file, seen);
    Map<String, ZipDirectory.Entry> byPath = new LinkedHashMap<>();
    for (ZipDirectory.Entry entry : checked) {
      String name = trimSlash(entry.name().replace('\\', '/'));
      if (!top.isEmpty() && name.equals(trimSlash(top))) {
        continue; // the top folder itself
      }
      String relative = top.isEmpty() ? name : name.substring(top.length());
      if (!relative.isEmpty()) {
        byPath.put(relative, entry);
      }
    }
    return new SafeArchive(file, byPath);
  }

  /** The module layout's paths, relative to the module folder. */
  Set<String> paths() {
    return entries.keySet();
  }

  /** Extracts into {@code target}, an empty directory. */
  void extractTo(Path target, Limits limits) throws ArchiveException, IOException {
    Map<String, String> links = new LinkedHashMap<>();
    long[] written = {0};
    try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
      for (Map.Entry<String, ZipDirectory.Entry> item : entries.entrySet()) {
        String path = item.getKey();
        ZipDirectory.Entry entry = item.getValue();
        ZipEntry data = zip.getEntry(entry.name());
        if (data == null) {
          throw new ArchiveException(file + ": entry '" + entry.name() + "' cannot be read");
        }
        Path out = target.resolve(path);
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymlink()) {
          links.put(path, new String(readSmall(zip, data), StandardCharsets.UTF_8));
        } else {
          Files.createDirectories(out.getParent());
          copy(zip, data, out, written, limits);
          executable(out, path, entry);
        }
      }
    }
    // links last, so that no entry is ever written through one (spec: nothing leaves the module)
    for (Map.Entry<String, String> link : links.entrySet()) {
      Path at = target.resolve(link.getKey());
      Path to = Path.of(link.getValue());
      Path resolved = at.getParent().resolve(to).normalize();
      if (to.isAbsolute() || !resolved.startsWith(target)) {
        throw new ArchiveException(
            file + ": link '" + link.getKey() + "' -> '" + link.getValue() + "' leaves the module");
      }
      Files.createDirectories(at.getParent());
      Files.createSymbolicLink(at, to);
    }
    // links through links resolve differently from their text (a -> c/.., c -> ..): check where
    // each one really leads, before anything reads through it
    Path root = target.toRealPath();
    for (String link : links.keySet()) {
      Path real;
      try {
        real = target.resolve(link).toRealPath();
      } catch (IOException e) {
        throw new ArchiveException(file + ": link '" + link + "' points to nothing in the module");
      }
      if (!real.startsWith(root)) {
        throw new ArchiveException(file + ": link '" + link + "' leaves the module");
      }
    }
  }

  private void copy(ZipFile zip, ZipEntry data, Path out, long[] written, Limits limits)
      throws IOException, ArchiveException {
    try (InputStream in = zip.getInputStream(data);
        OutputStream os =
            Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        written[0] += n;
        if (written[0] > limits.maxBytes()) {
          throw new ArchiveException(
              file + ": too large: more than " + limits.maxBytes() + " bytes uncompressed");
        }
        os.write(buffer, 0, n);
      }
    }
  }

  private static byte[] readSmall(ZipFile zip, ZipEntry data) throws IOException {
    try (InputStream in = zip.getInputStream(data)) {
      return in.readNBytes(4096);
    }
  }

  /** Scripts must run: the Unix mode when the zip has one, else everything under {@code bin/}. */
  private static void executable(Path out, String path, ZipDirectory.Entry entry)
      throws IOException {
    boolean exec = entry.unixMode() != 0 ? entry.isExecutable() : path.startsWith("bin/");
    if (exec || path.startsWith("bin/")) {
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** A name may only go down: no {@code ..}, no root, no drive, no control characters. */
  private static String checkName(Path file, String raw) throws ArchiveException {
    String name = raw.replace('\\', '/');
    if (name.isEmpty() || name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw new ArchiveException(file + ": entry '" + raw + "' has an absolute path");
    }
    for (char c : name.toCharArray()) {
      if (c < 0x20) {
        throw new ArchiveException(file + ": entry name '" + raw + "' has a control character");
      }
    }
    for (String segment : trimSlash(name).split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        throw new ArchiveException(file + ": entry '" + raw + "' leaves the module (path '..')");
      }
    }
    return trimSlash(name);
  }

  /**
   * The single top folder to strip ({@code AM/}), or "" for the root layout. With a top folder,
   * every entry must be inside it.
   */
  private static String topFolder(Path file, Set<String> names) throws ArchiveException {
    if (names.contains(USERCONFIG)) {
      return "";
    }
    String top = null;
    for (String name : names) {
      if (name.endsWith("/" + USERCONFIG) && name.indexOf('/') == name.length() - 20) {
        top = name.substring(0, name.indexOf('/') + 1);
      }
    }
    if (top == null) {
      throw new ArchiveException(
          file + ": no conf/userconfig.xml (neither at the root nor in one top folder)");
    }
    for (String name : names) {
      if (!name.startsWith(top) && !name.equals(trimSlash(top))) {
        throw new ArchiveException(
            file + ": entry '" + name + "' is outside the module folder '" + top + "'");
      }
    }
    return top;
  }

  private static String trimSlash(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  /** An archive that must not be installed; the message is for the administrator. */
  static final class ArchiveException extends Exception {
    private static final long serialVersionUID = 1L;

    ArchiveException(String message) {
      super(message);
    }
  }
}
