/**
 * The two configuration files an administrator writes, as immutable typed records: {@code
 * cluster.xml} (spec A) and a module's {@code userconfig.xml} (spec B). Values carry the spec's
 * defaults already applied, time values are {@link java.time.Duration}s in the attribute's implicit
 * unit (spec B.1), macros are expanded (spec B.2). {@link org.bulwark.api.config.ConfigService}
 * parses and validates; it returns a model or the full list of {@link
 * org.bulwark.api.config.ConfigurationError}s, never half a model.
 */
@Export
@Version("1.4.0")
package org.bulwark.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
