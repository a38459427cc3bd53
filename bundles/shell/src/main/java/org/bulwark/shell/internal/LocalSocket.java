package org.bulwark.shell.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Binds the node's administration socket so that no one but the node's user can ever reach it with
 * a mode other than its final one. bind(2) creates the socket file with the process umask's mode,
 * so the socket is bound inside a fresh owner-only directory, given its final mode there, then
 * renamed into place: a bound Unix socket keeps listening under its new name (connect finds the
 * inode), and rename(2) makes the final name appear with the final mode at once.
 */
final class LocalSocket {

  /** The socket's mode: the node's user and group (spec F: root or members of group safekit). */
  static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-rw----");

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  private LocalSocket() {}

  /** Binds {@code socketPath}, replacing a stale socket left by a killed node, never a live one. */
  static ServerSocketChannel bind(Path socketPath) throws IOException {
    return bind(socketPath, bound -> {});
  }

  /**
   * As {@link #bind(Path)}; {@code afterBind} sees the path the socket is first bound at (for
   * tests: it must be in a private directory).
   */
  static ServerSocketChannel bind(Path socketPath, Consumer<Path> afterBind) throws IOException {
    Path run = socketPath.getParent();
    Files.createDirectories(run);
    removeStale(socketPath);
    Path directory = privateDirectory(run);
    // shorter than the final path, so that it fits wherever the final one does (107 bytes)
    Path bound = directory.resolve("s");
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.bind(UnixDomainSocketAddress.of(bound));
      afterBind.accept(bound);
      Files.setPosixFilePermissions(bound, MODE);
      Files.move(bound, socketPath, StandardCopyOption.ATOMIC_MOVE);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    } finally {
      Files.deleteIfExists(bound);
      Files.deleteIfExists(directory);
    }
  }

  private static void removeStale(Path socketPath) throws IOException {
    if (!Files.exists(socketPath)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
      throw new IOException(
          "another node already serves " + socketPath + ": each node needs its own SAFEVAR");
    } catch (IOException stale) {
      if (stale.getMessage() != null && stale.getMessage().startsWith("another node")) {
        throw stale;
      }
      Files.delete(socketPath);
    }
  }

  private static Path privateDirectory(Path run) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path directory =
          run.resolve(
              ".bind-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
      try {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
      } catch (FileAlreadyExistsException taken) {
        if (attempt < 16) {
          continue;
        }
        throw taken;
      }
      // the umask can only have removed bits: make it exactly owner-only, no more
      Files.setPosixFilePermissions(directory, PRIVATE);
      return directory;
    }
  }
}
