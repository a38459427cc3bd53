/**
 * The {@code safekit} command line (spec F). The client at the distribution root only forwards its
 * arguments to the node; every verb is a {@link org.bulwark.api.cli.CliVerb} service, so each
 * bundle plugs its own verbs in.
 */
@Export
@Version("1.2.0")
package org.bulwark.api.cli;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
