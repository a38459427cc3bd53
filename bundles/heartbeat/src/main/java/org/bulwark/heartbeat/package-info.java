/**
 * Mirror heartbeats on the wire (spec B.4, G.9): a {@link org.bulwark.heartbeat.HeartbeatService}
 * opens, for one module, one UDP endpoint per {@code <heartbeat>} lan; the module runtime sends the
 * {@link org.bulwark.automaton.HeartbeatMessage}s its driver decides and receives the peer's. What
 * a heartbeat means (timeouts, remote state) stays in the automaton bundle.
 */
@Export
@Version("1.0.0")
package org.bulwark.heartbeat;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
