package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleDeployer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot deployment (issue 4): a {@code AM.safe} dropped into {@code SAFE/deploy} is installed (or
 * reinstalled) as module AM and configured. A file is taken only once its size and date have not
 * changed between two scans, so a copy in progress is never read. Success renames it to {@code
 * AM.safe.installed}; failure writes the message to {@code AM.safe.error} and leaves the package
 * where it is, not retried until it changes.
 */
final class DeployFolder {

  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);

  record Stamp(long size, FileTime modified) {}

  private final Path folder;
  private final ModuleDeployer deployer;
  private final Map<Path, Stamp> seen = new HashMap<>();

  DeployFolder(Path folder, ModuleDeployer deployer) {
    this.folder = folder;
    this.deployer = deployer;
  }

  /** One pass over the folder; returns how many packages were handled. */
  int scan() {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    List<Path> packages;
    try (Stream<Path> list = Files.list(folder)) {
      packages =
          list.filter(p -> p.getFileName().toString().endsWith(".safe"))
              .filter(Files::isRegularFile)
              .sorted()
              .collect(Collectors.toList());
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", folder, e.toString());
      return 0;
    }
    seen.keySet().retainAll(packages);
    int handled = 0;
    for (Path file : packages) {
      Stamp now;
      try {
        now = new Stamp(Files.size(file), Files.getLastModifiedTime(file));
        if (failedAlready(file, now)) {
          continue;
        }
      } catch (IOException e) {
        continue; // gone between the listing and now
      }
      Stamp before = seen.put(file, now);
      if (now.equals(before)) {
        handle(file);
        seen.remove(file);
        handled++;
      }
    }
    return handled;
  }

  private boolean failedAlready(Path file, Stamp now) throws IOException {
    Path error = error(file);
    return Files.exists(error) && Files.getLastModifiedTime(error).compareTo(now.modified()) >= 0;
  }

  private void handle(Path file) {
    try {
      InstalledModule module = deployer.deploy(file);
      Files.move(
          file,
          file.resolveSibling(file.getFileName() + ".installed"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(error(file));
      LOG.info("{}: module {} deployed with id {}", file, module.name(), module.id());
    } catch (DeployException e) {
      writeError(file, e.getMessage());
    } catch (IOException | RuntimeException e) {
      writeError(file, e.toString());
    }
  }

  private void writeError(Path file, String message) {
    LOG.warn("{}: {}", file, message);
    try {
      Trees.writeAtomically(
          error(file), (message + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", error(file), e.toString());
    }
  }

  static Path error(Path file) {
    return file.resolveSibling(file.getFileName() + ".error");
  }
}
