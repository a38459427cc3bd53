package org.bulwark.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.bulwark.api.store.StoreException;

/**
 * An empty journal at the latest schema, created once per test JVM and copied for each test:
 * creating a Derby database (its system catalogs) costs far more than copying a shut-down one. The
 * template is deleted when the JVM exits.
 */
final class TemplateDatabase {

  private static Path template;

  private TemplateDatabase() {}

  /** Copies the empty journal to {@code target} (which must not exist) and returns it. */
  static synchronized Path copyTo(Path target) throws StoreException, IOException {
    if (template == null) {
      Path root = Files.createTempDirectory("bulwark-store-template");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
      Path db = root.resolve("db");
      JournalStore.open(db, Clock.systemUTC()).close();
      template = db;
    }
    Files.createDirectories(target.getParent());
    try (Stream<Path> files = Files.walk(template)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Files.copy(source, target.resolve(template.relativize(source).toString()));
      }
    }
    return target;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(TemplateDatabase::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
