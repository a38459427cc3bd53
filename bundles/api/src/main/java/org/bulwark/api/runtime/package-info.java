/**
 * What the module runtime shows of the modules it runs: their states, for the health-check URL
 * (spec G.10), the REST API and the console.
 */
@Export
@Version("1.0.0")
package org.bulwark.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
