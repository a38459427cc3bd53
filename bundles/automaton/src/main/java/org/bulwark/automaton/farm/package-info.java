/**
 * Farm membership and the bucket allocation as pure code (spec D.2, D.3): {@link
 * org.bulwark.automaton.farm.BucketTable} allocates a group's 256 buckets among the members of a
 * view by power, {@link org.bulwark.automaton.farm.Membership} is the group protocol as a step
 * function {@code (state, event) -> (state, pulses, actions, change)} driven by ticks, and {@link
 * org.bulwark.automaton.farm.MembershipDriver} holds it for a module's event loop. The values the
 * runtime and the filter consume ({@code FarmView}, {@code FarmStatus}, {@code BucketSet}) are in
 * {@code org.bulwark.api.farm}; the UDP transport is the heartbeat bundle's {@code
 * FarmChannelService}. See docs/farm.md.
 */
@Export
@Version("1.0.0")
package org.bulwark.automaton.farm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
