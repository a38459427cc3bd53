/**
 * {@code .safe} module deployment (spec B.21, F.5, G.9): the {@link
 * org.bulwark.api.deploy.ModuleDeployer} service behind {@code safekit module …}, {@code config}
 * and {@code deconfig}, and the contract of the module bundles it generates (extender pattern,
 * DESIGN.md): an installed and configured module is a bundle carrying the {@link
 * org.bulwark.api.deploy.ModuleHeaders} headers, which the module runtime tracks.
 */
@Export
@Version("1.2.0")
package org.bulwark.api.deploy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
