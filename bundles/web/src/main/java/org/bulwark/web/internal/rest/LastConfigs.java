package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bulwark.api.env.SafeDirectories;

/**
 * The last configurations of a module that {@code config} keeps (spec B.21): {@code
 * SAFE/modules/lastconfig/AM_<yyyyMMdd>_<HHmmss>.safe}, the newest three. Restoring one is {@code
 * safekit module install -r} of that file, as SafeKit's console does, then {@code config}.
 */
final class LastConfigs {
  static final String FOLDER = "lastconfig";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

  private LastConfigs() {}

  /**
   * One saved configuration.
   *
   * @param name its file name, which names it in the restore call
   * @param time when it was applied, ISO 8601 in the node's time zone
   */
  record Saved(String name, String time) {}

  private static Pattern of(String module) {
    return Pattern.compile(Pattern.quote(module) + "_(\\d{8}_\\d{6})\\.safe");
  }

  /** The saved configurations of {@code module}, newest first. */
  static List<Saved> list(SafeDirectories dirs, String module) {
    Path dir = dirs.modules().resolve(FOLDER);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    Pattern mine = of(module);
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .map(mine::matcher)
          .filter(Matcher::matches)
          .sorted(Comparator.comparing((Matcher m) -> m.group(1)).reversed())
          .map(m -> new Saved(m.group(), time(m.group(1))))
          .toList();
    } catch (IOException e) {
      throw new ApiException(503, "cannot read " + dir + ": " + e.getMessage());
    }
  }

  /** The file of the saved configuration {@code name} of {@code module}, or a 404. */
  static Path file(SafeDirectories dirs, String module, String name) {
    boolean known = list(dirs, module).stream().anyMatch(s -> s.name().equals(name));
    if (!known) {
      throw ApiException.notFound(
          "module "
              + module
              + " has no saved configuration '"
              + name
              + "': GET /modules/"
              + module
              + "/lastconfig lists them");
    }
    return dirs.modules().resolve(FOLDER).resolve(name);
  }

  private static String time(String stamp) {
    return LocalDateTime.parse(stamp, STAMP)
        .atZone(ZoneId.systemDefault())
        .toOffsetDateTime()
        .toString();
  }
}
