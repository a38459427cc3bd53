package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a node killed in the middle of an install, config or uninstall leaves (the hidden folders of
 * {@link Trees#sibling} and {@link Trees#swap}), put right at start: a previous version set aside
 * and not replaced comes back; staging folders and replaced versions go.
 */
final class Recovery {

  private static final Pattern LEFTOVER =
      Pattern.compile("\\.(.+)\\.(install|config|old|uninstall|deconfig)\\.[0-9a-f-]{36}");

  private Recovery() {}

  /** Cleans {@code dir} ({@code SAFE/modules} or {@code SAFE/private/modules}). */
  static List<String> recover(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.sorted().collect(Collectors.toList());
    }
    List<String> done = new java.util.ArrayList<>();
    for (Path entry : entries) {
      Matcher m = LEFTOVER.matcher(entry.getFileName().toString());
      if (!m.matches() || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path original = dir.resolve(m.group(1));
      if (m.group(2).equals("old") && !Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
        Trees.move(entry, original);
        done.add("restored " + original);
      } else {
        Trees.deleteRecursively(entry);
        done.add("removed " + entry);
      }
    }
    return done;
  }
}
