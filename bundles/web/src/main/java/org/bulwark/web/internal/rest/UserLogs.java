package org.bulwark.web.internal.rest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bulwark.api.env.SafeDirectories;

/**
 * The application logs of a module (spec B.8, E): one {@code
 * SAFEVAR/modules/AM/userlog_<date>T<time>_<script>.ulog} per script run, what the script printed.
 * The module log's {@code S} rows name them; the console opens one from there.
 */
final class UserLogs {
  static final Pattern NAME =
      Pattern.compile("userlog_(\\d{4}-\\d{2}-\\d{2}T\\d{6})_([A-Za-z0-9_.-]+)\\.ulog");

  static final int MAX_LINES = 10_000;

  private UserLogs() {}

  /**
   * One application log.
   *
   * @param name its file name
   * @param script the script that wrote it
   * @param started when the script started, as the name says it (node's time zone)
   * @param size its size in bytes
   */
  record Entry(String name, String script, String started, long size) {}

  /**
   * A page of the list, newest first.
   *
   * @param logs the logs
   * @param next the {@code before} of the following (older) page, or null at the oldest
   */
  record Page(List<Entry> logs, String next) {}

  /**
   * A page of one log's lines.
   *
   * @param name the log
   * @param lines the lines, in order
   * @param first the number of the first line (1-based)
   * @param next the {@code after} of the following page, or null at the end of the file
   */
  record Lines(String name, List<String> lines, long first, Long next) {}

  /** The logs of {@code module}, of one script or all, newest first, older than {@code before}. */
  static Page list(SafeDirectories dirs, String module, String script, String before, int limit) {
    Path dir = dirs.userVar(module);
    if (!Files.isDirectory(dir)) {
      return new Page(List.of(), null);
    }
    List<Entry> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches() && (script == null || script.equals(m.group(2)))) {
          all.add(new Entry(m.group(), m.group(2), m.group(1), Files.size(p)));
        }
      }
    } catch (IOException e) {
      throw new ApiException(503, "cannot read " + dir + ": " + e.getMessage());
    }
    all.sort(Comparator.comparing(Entry::started).thenComparing(Entry::name).reversed());
    int from = 0;
    if (before != null) {
      from = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).name().equals(before)) {
          from = i + 1;
          break;
        }
      }
    }
    List<Entry> page = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
    String next =
        from + limit < all.size() && !page.isEmpty() ? page.get(page.size() - 1).name() : null;
    return new Page(List.copyOf(page), next);
  }

  /** Lines after line {@code after} (0: from the start) of one log, at most {@code limit}. */
  static Lines read(SafeDirectories dirs, String module, String name, long after, int limit) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.badRequest(
          "'" + name + "' is not an application log name (userlog_<date>T<time>_<script>.ulog)");
    }
    Path file = dirs.userVar(module).resolve(name);
    if (!Files.isRegularFile(file)) {
      throw ApiException.notFound("module " + module + " has no application log " + name);
    }
    List<String> lines = new ArrayList<>();
    long number = 0;
    boolean more = false;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        number++;
        if (number <= after) {
          continue;
        }
        if (lines.size() == limit) {
          more = true;
          break;
        }
        lines.add(line);
      }
    } catch (IOException e) {
      throw new ApiException(503, "cannot read " + name + ": " + e.getMessage());
    }
    long first = after + 1;
    return new Lines(name, lines, first, more ? after + lines.size() : null);
  }
}
