/**
 * Farm membership and load balancing as the module runtime, the kernel filter, the shell, REST and
 * the console see them (spec D.2, D.3): the membership {@link org.bulwark.api.farm.FarmView}, the
 * 256 buckets of each load-balancing group ({@link org.bulwark.api.farm.BucketSet}, {@link
 * org.bulwark.api.farm.GroupAllocation}) and the whole picture of one module on one node ({@link
 * org.bulwark.api.farm.FarmStatus}). Immutable values only; the protocol that produces them lives
 * in the automaton bundle ({@code org.bulwark.automaton.farm}), its transport in the heartbeat
 * bundle.
 */
@Export
@Version("1.0.0")
package org.bulwark.api.farm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
