package org.bulwark.config.internal.cli;

import java.io.IOException;
import java.nio.file.Path;
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
import org.bulwark.api.io.DurableFiles;

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
    DurableFiles.write(target, content);
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
