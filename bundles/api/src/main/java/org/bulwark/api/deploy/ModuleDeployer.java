package org.bulwark.api.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.config.ConfigurationError;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, configures and removes application modules (spec B.21, F.5). The one service behind
 * {@code safekit module …}, {@code config}, {@code deconfig}, the {@code deploy/} folder, the shell
 * and the REST API. Every operation is all or nothing: when it throws, nothing has changed.
 */
@ProviderType
public interface ModuleDeployer {

  /**
   * {@code module install -m AM [-M id] [-r] [file.safe]}: extracts the package into {@code
   * SAFE/modules/AM} after checking it.
   *
   * @param module the module name
   * @param file the package, or empty to search {@code SAFE/Application_Modules/**} for {@code
   *     AM.safe}
   * @param forcedId the id to give ({@code -M}), or empty to keep the module's id or take the
   *     smallest free one
   * @param reinstall whether an installed module may be replaced ({@code -r})
   */
  InstalledModule install(
      String module, Optional<Path> file, OptionalInt forcedId, boolean reinstall)
      throws DeployException;

  /**
   * What keeps the installed configuration ({@code SAFE/modules/AM}) from being applied, as {@code
   * config} would report it: empty when it is complete. {@code install} keeps a package as shipped,
   * blank placeholders and unset macros included, as the template to fill in (issue 11).
   */
  List<ConfigurationError> pending(String module) throws DeployException;

  /**
   * Installs (or reinstalls) the package under its base name and applies its configuration: what a
   * file dropped into {@code SAFE/deploy} does. A failure leaves the previous version as it was.
   */
  InstalledModule deploy(Path file) throws DeployException;

  /**
   * {@code module uninstall -m AM}: deconfigures the module, backs it up to {@code
   * SAFE/Application_Modules/backup/AM.safe} and deletes {@code SAFE/modules/AM}. The module keeps
   * its id for a later install under the same name.
   *
   * @return the backup file
   */
  Path uninstall(String module) throws DeployException;

  /** {@code module list} / {@code module listid}: the installed modules, by name. */
  List<InstalledModule> list();

  /** {@code module getports -m AM}: the ports of an installed module (spec G.9). */
  List<ModulePort> ports(String module) throws DeployException;

  /** {@code module getports -i id}: every port a module with this id would use (spec G.9). */
  List<ModulePort> ports(int id) throws DeployException;

  /** {@code module package -m AM /abs/new.safe}: zips {@code SAFE/modules/AM}. */
  Path packageModule(String module, Path target) throws DeployException;

  /**
   * {@code config -m AM}: validates {@code SAFE/modules/AM}, copies it to {@code
   * SAFE/private/modules/AM}, keeps the last 3 configurations in {@code SAFE/modules/lastconfig},
   * and installs or updates the module bundle.
   */
  InstalledModule config(String module) throws DeployException;

  /** {@code deconfig -m AM}: removes the module bundle and {@code SAFE/private/modules/AM}. */
  void deconfig(String module) throws DeployException;
}
