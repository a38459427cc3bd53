package org.bulwark.web.internal.rest;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.cli.CliService;
import org.bulwark.web.internal.auth.Caller;

/**
 * Module packages and configuration over the API (spec F.5): the {@code safekit module install},
 * {@code config}, {@code deconfig}, {@code module uninstall} and {@code module package} verbs, with
 * an uploaded or downloaded {@code .safe} passed through a private temporary file.
 */
final class ModuleAdmin {
  private final CliService cli;
  private final Path modules;

  ModuleAdmin(CliService cli, Path modules) {
    this.cli = cli;
    this.modules = modules;
  }

  /**
   * Installs {@code module} from {@code safe} (the stock template when empty), with an id; {@code
   * -r}.
   */
  CliCall.Result install(
      Caller caller, String module, InputStream safe, String id, boolean reinstall) {
    List<String> args = new ArrayList<>(List.of("module", "install", "-m", module));
    if (reinstall) {
      args.add("-r");
    }
    if (id != null && !id.isEmpty()) {
      args.add("-M");
      args.add(Integer.toString(Params.integer("id", id, 1, 999_999, 1)));
    }
    return TempDirectory.with(
        dir -> {
          Path file = dir.resolve("upload.safe");
          if (Bodies.copy(safe, file) > 0) {
            args.add(file.toString());
          }
          return CliCall.run(cli, caller, args, file, module + ".safe");
        });
  }

  /**
   * Reinstalls {@code module} from one of its saved configurations ({@code module install -r}),
   * then applies it when asked ({@code config}): the answers of the verbs run.
   */
  List<CliCall.Result> restore(Caller caller, String module, Path saved, boolean apply) {
    List<CliCall.Result> results = new ArrayList<>();
    results.add(
        CliCall.run(
            cli, caller, List.of("module", "install", "-m", module, "-r", saved.toString())));
    if (apply) {
      results.add(CliCall.run(cli, caller, List.of("config", "-m", module)));
    }
    return results;
  }

  /** A 404 unless {@code module} is installed here ({@code SAFE/modules/AM}). */
  void requireInstalled(String module) {
    if (!Params.isModuleName(module) || !Files.isDirectory(modules.resolve(module))) {
      throw ApiException.notFound("module " + module + " is not installed");
    }
  }

  /** A new snapshot of the module, as {@code safekit snapshot -m AM file.zip} writes it. */
  byte[] snapshot(Caller caller, String module) {
    return TempDirectory.with(
        dir -> {
          Path file = dir.resolve("snapshot.zip");
          CliCall.run(
              cli,
              caller,
              List.of("snapshot", "-m", module, file.toString()),
              file,
              "snapshot.zip");
          return Files.readAllBytes(file);
        });
  }

  /** The module's current package, as {@code safekit module package} writes it. */
  byte[] pack(Caller caller, String module) {
    return TempDirectory.with(
        dir -> {
          Path file = dir.resolve(module + ".safe");
          CliCall.run(cli, caller, List.of("module", "package", "-m", module, file.toString()));
          return Files.readAllBytes(file);
        });
  }
}
