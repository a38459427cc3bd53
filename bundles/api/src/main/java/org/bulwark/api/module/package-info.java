/**
 * Module state value types shared by the automaton, the module runtime, the shell, REST and the
 * console: the states of spec C.1 and D.1, their readiness levels, and the module kinds of spec
 * B.3.
 */
@Export
@Version("1.0.0")
package org.bulwark.api.module;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
