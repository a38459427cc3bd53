/**
 * The node's durable journal: commands log (spec G.7), module event log (spec G.6) and resource
 * history (spec B.20). Every write is committed before the call returns.
 */
@Export
@Version("1.2.0")
package org.bulwark.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
