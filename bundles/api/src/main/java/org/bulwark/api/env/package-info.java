/** The node's directories and identity (spec E.2, F.1 {@code safekit -p}, G.13). */
@Export
@Version("1.1.0")
package org.bulwark.api.env;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
