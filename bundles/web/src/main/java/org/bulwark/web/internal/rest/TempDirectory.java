package org.bulwark.web.internal.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temporary directory (mode 0700) for a file a verb reads or writes on behalf of an API
 * request: an uploaded {@code .safe} or {@code cluster.xml}, a package to download.
 */
final class TempDirectory {
  private TempDirectory() {}

  /** A body run with a new private directory, removed afterwards whatever happens. */
  interface Body<T> {
    T run(Path dir) throws IOException;
  }

  static <T> T with(Body<T> body) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("bulwark-api");
      return body.run(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
