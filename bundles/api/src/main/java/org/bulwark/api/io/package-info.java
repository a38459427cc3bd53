/** File helpers every bundle shares: durable, atomic replacement of small state files. */
@Export
@Version("1.0.0")
package org.bulwark.api.io;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
