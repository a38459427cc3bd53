package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of an installed module that the module wizard edits as text (spec G.4 "Advanced
 * configuration"): {@code conf/userconfig.xml} and the scripts of {@code bin/}, in {@code
 * SAFE/modules/AM} (the configuration to apply, not the applied one).
 */
final class ModuleFiles {
  static final String USERCONFIG = "conf/userconfig.xml";

  /** Larger files are not text to edit in a browser. */
  static final int MAX_FILE = 256 * 1024;

  private static final Pattern SCRIPT = Pattern.compile("bin/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  private ModuleFiles() {}

  /**
   * One file.
   *
   * @param path {@code conf/userconfig.xml} or {@code bin/<script>}
   * @param content its text (UTF-8)
   */
  public record FileText(String path, String content) {}

  /** Whether the wizard may write {@code path}. */
  static boolean editable(String path) {
    return path != null && (path.equals(USERCONFIG) || SCRIPT.matcher(path).matches());
  }

  /** userconfig.xml first, then the scripts by name. */
  static List<FileText> read(Path module) {
    List<FileText> files = new ArrayList<>();
    try {
      Path conf = module.resolve(USERCONFIG);
      if (Files.isRegularFile(conf)) {
        files.add(new FileText(USERCONFIG, Files.readString(conf, StandardCharsets.UTF_8)));
      }
      Path bin = module.resolve("bin");
      if (Files.isDirectory(bin)) {
        try (Stream<Path> scripts = Files.list(bin)) {
          for (Path p : scripts.sorted().toList()) {
            String path = "bin/" + p.getFileName();
            if (Files.isRegularFile(p) && editable(path) && Files.size(p) <= MAX_FILE) {
              files.add(new FileText(path, Files.readString(p, StandardCharsets.UTF_8)));
            }
          }
        }
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ApiException(409, "a file of the module is not UTF-8 text: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** A 400 naming the first file that may not be written; the files otherwise. */
  static List<FileText> validate(List<FileText> files) {
    if (files.isEmpty()) {
      throw ApiException.badRequest("'files' is missing or empty");
    }
    for (int i = 0; i < files.size(); i++) {
      FileText f = files.get(i);
      if (!editable(f.path())) {
        throw ApiException.badRequest(
            "files["
                + i
                + "].path: '"
                + f.path()
                + "' is not conf/userconfig.xml or a script bin/<name>");
      }
      if (f.content() == null) {
        throw ApiException.badRequest("files[" + i + "].content is missing");
      }
      if (f.content().getBytes(StandardCharsets.UTF_8).length > MAX_FILE) {
        throw ApiException.badRequest(
            "files[" + i + "]: " + f.path() + " is larger than " + MAX_FILE + " bytes");
      }
    }
    return files;
  }

  /** Writes the files into the module; scripts are made executable. */
  static void write(Path module, List<FileText> files) {
    try {
      for (FileText f : files) {
        Path target = module.resolve(f.path());
        Files.createDirectories(target.getParent());
        Files.writeString(target, f.content(), StandardCharsets.UTF_8);
        if (f.path().startsWith("bin/")) {
          try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
