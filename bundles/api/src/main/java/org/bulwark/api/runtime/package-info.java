/**
 * What the module runtime shows of the modules it runs: their states, for the health-check URL
 * (spec G.10), the REST API and the console, and their changes as they happen ({@link
 * org.bulwark.api.runtime.ModuleStateListener}).
 */
@Export
@Version("1.1.0")
package org.bulwark.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
