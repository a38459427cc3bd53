/**
 * Real-time file replication of mirror modules (spec B.7, C.4–C.7): the service the module runtime
 * asks to serve a module's replicated directories as the primary or to follow them as the
 * secondary, and the events it reports back. The runtime coordinates; the replication bundle holds
 * every piece of replication state.
 *
 * <p>1.1.0: {@code ReplicationEvents.measured}.
 */
@Export
@Version("1.1.0")
package org.bulwark.api.rfs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
