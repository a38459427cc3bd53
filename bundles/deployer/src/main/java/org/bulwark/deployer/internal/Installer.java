package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.deploy.DeployException;

/**
 * {@code module install} and {@code module uninstall} (spec F.5, B.21). Install stages the package
 * in a hidden folder next to {@code SAFE/modules/AM}, checks it there, and only then swaps it in
 * with renames; any failure deletes the staging folder and leaves the previous version, its id and
 * its applied configuration as they were.
 */
final class Installer {

  /** A staged install: committed when everything after it worked, else rolled back. */
  record Staged(String module, int id, Path previous, Map<String, Integer> previousIds) {}

  private final Workspace ws;

  Installer(Workspace ws) {
    this.ws = ws;
  }

  /**
   * Checks and swaps in a package; the previous version is kept aside in the result.
   *
   * @param cluster whether to check the configuration against the applied cluster as {@code config}
   *     will (the deploy folder, which configures right after, so the configuration must be
   *     complete); else a template still to fill in is accepted (issue 11)
   */
  Staged stage(
      String module, Optional<Path> file, OptionalInt forcedId, boolean reinstall, boolean cluster)
      throws DeployException {
    Workspace.checkName(module);
    Path safe = file.isPresent() ? file.get() : search(module);
    if (!Files.isRegularFile(safe)) {
      throw new DeployException("module " + module + ": no such package " + safe);
    }
    Path home = ws.home(module);
    boolean exists = Files.isDirectory(home);
    if (exists && !reinstall) {
      throw new DeployException(
          "module " + module + " is already installed: use module install -r to reinstall it");
    }
    if (exists) {
      ws.requireStopped(module);
    }
    if (forcedId.isPresent() && forcedId.getAsInt() < 1) {
      throw new DeployException("invalid module id " + forcedId.getAsInt() + ": ids start at 1");
    }
    Path staging = null;
    Map<String, Integer> previousIds = null;
    boolean assigned = false;
    try {
      previousIds = ws.ids.all();
      String[] conflict = new String[1];
      int id = ws.ids.choose(module, forcedId, ws.installed(), conflict);
      if (id < 0) {
        throw new DeployException(
            "module id " + forcedId.getAsInt() + " is already used by module " + conflict[0]);
      }
      staging = Trees.sibling(home, "install");
      SafeArchive archive = SafeArchive.open(safe, ws.limits);
      archive.extractTo(staging, ws.limits);
      String shownAs = safe.getFileName() + "!/" + SafeArchive.USERCONFIG;
      Path userconfig = staging.resolve(SafeArchive.USERCONFIG);
      if (cluster) {
        ws.validate(module, userconfig, shownAs, ws.context(module, id, true));
      } else {
        // as shipped (issue 11): blanks and unset macros are the template the administrator fills
        // in before config; only a file that is no configuration at all is refused
        List<ConfigurationError> errors =
            ws.check(module, userconfig, shownAs, ws.context(module, id, false)).errors();
        if (!Workspace.onlyIncomplete(errors)) {
          throw Workspace.invalid(errors);
        }
      }
      ws.ids.assign(module, id);
      assigned = true;
      Path previous = Trees.swap(staging, home);
      return new Staged(module, id, previous, previousIds);
    } catch (SafeArchive.ArchiveException e) {
      cleanup(staging, assigned ? previousIds : null);
      throw new DeployException("module " + module + ": refused: " + e.getMessage());
    } catch (IOException e) {
      cleanup(staging, assigned ? previousIds : null);
      throw new DeployException("module " + module + ": install failed: " + e, e);
    } catch (DeployException | RuntimeException e) {
      cleanup(staging, assigned ? previousIds : null);
      throw e;
    }
  }

  /** The install is final: the previous version goes. */
  void commit(Staged staged) {
    Trees.deleteQuietly(staged.previous());
  }

  /** Puts the previous version and ids back. */
  void rollback(Staged staged) throws IOException {
    Trees.restore(ws.home(staged.module()), staged.previous());
    ws.ids.write(staged.previousIds());
  }

  private void cleanup(Path staging, Map<String, Integer> previousIds) {
    Trees.deleteQuietly(staging);
    if (previousIds != null) {
      try {
        ws.ids.write(previousIds);
      } catch (IOException e) {
        // the ids file is rewritten whole: at worst the new id stays recorded, which is harmless
      }
    }
  }

  /**
   * {@code AM.safe} under {@code SAFE/Application_Modules/**}: templates first, backups last, then
   * by path so that the choice is stable (spec F.5, B.21).
   */
  Path search(String module) throws DeployException {
    Path root = ws.dirs.applicationModules();
    String wanted = module + ".safe";
    if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root, 4)) {
        List<Path> found =
            walk.filter(p -> p.getFileName().toString().equals(wanted) && Files.isRegularFile(p))
                .sorted(
                    Comparator.comparing((Path p) -> root.relativize(p).startsWith("backup"))
                        .thenComparing(Path::toString))
                .collect(Collectors.toList());
        if (!found.isEmpty()) {
          return found.get(0);
        }
      } catch (IOException e) {
        throw new DeployException("cannot search " + root + ": " + e.getMessage(), e);
      }
    }
    throw new DeployException(
        "module " + module + ": no " + wanted + " under " + root + ": give the package file");
  }

  /** Backs the module up to {@code SAFE/Application_Modules/backup/AM.safe} (spec F.5, B.21). */
  Path backup(String module) throws DeployException {
    Path backup = ws.dirs.applicationModules().resolve("backup").resolve(module + ".safe");
    try {
      Files.createDirectories(backup.getParent());
      Trees.zip(ws.home(module), module, backup);
      return backup;
    } catch (IOException e) {
      throw new DeployException("module " + module + ": backup failed, nothing removed: " + e, e);
    }
  }

  /** Removes {@code SAFE/modules/AM} with one rename, then deletes it. The id stays recorded. */
  void remove(String module) throws DeployException {
    Path home = ws.home(module);
    try {
      Path trash = Trees.sibling(home, "uninstall");
      Files.delete(trash);
      Trees.move(home, trash);
      Trees.deleteRecursively(trash);
    } catch (IOException e) {
      throw new DeployException("module " + module + ": uninstall failed: " + e, e);
    }
  }

  /** {@code module package}: zips {@code SAFE/modules/AM} as {@code AM/…}. */
  Path pack(String module, Path target) throws DeployException {
    ws.requireInstalled(module);
    if (!target.isAbsolute()) {
      throw new DeployException("module package: the file must be an absolute path: " + target);
    }
    if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      throw new DeployException("module package: no such directory " + target.getParent());
    }
    try {
      Trees.zip(ws.home(module), module, target);
      return target;
    } catch (IOException e) {
      throw new DeployException("module " + module + ": package failed: " + e, e);
    }
  }
}
