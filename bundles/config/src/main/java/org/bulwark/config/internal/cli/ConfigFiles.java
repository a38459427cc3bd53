package org.bulwark.config.internal.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.config.ConfigurationError;

/** File helpers of the configuration verbs: atomic install, signatures, dates, error output. */
final class ConfigFiles {

  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private ConfigFiles() {}

  /**
   * Writes {@code content} to {@code target} so that a reader sees the old file or the new one,
   * never a part: temporary file in the same directory, fsync, rename, fsync of the directory.
   */
  static void installAtomically(byte[] content, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      } catch (IOException e) {
        // some filesystems refuse to sync a directory; the rename is still atomic
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** SHA-256 of the bytes, in hex: the configuration signature. */
  static String signature(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static String date(Instant instant) {
    return DATE.format(instant);
  }

  /** Resolves a file argument against the caller's working directory. */
  static Path argument(String file, java.util.Map<String, String> environment) {
    Path path = Path.of(file);
    String pwd = environment.get("PWD");
    return path.isAbsolute() || pwd == null ? path : Path.of(pwd).resolve(path);
  }

  /** Prints every error, then how many there are. */
  static void printErrors(CliOutput out, List<ConfigurationError> errors) {
    out.err()
        .println(
            errors.stream()
                .map(ConfigurationError::format)
                .collect(Collectors.joining(System.lineSeparator())));
    out.err()
        .println(
            errors.size()
                + (errors.size() == 1 ? " error" : " errors")
                + ": configuration not valid");
  }
}
