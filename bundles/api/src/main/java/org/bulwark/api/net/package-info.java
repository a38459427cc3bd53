/**
 * The operating-system side of the virtual IP (spec B.6, D.3, D.4): the {@link
 * org.bulwark.api.net.AddressManager} puts a virtual address on an interface, announces it with
 * gratuitous ARP and resets its connections when it leaves; the {@link
 * org.bulwark.api.net.PacketFilter} programs, per farm module, the kernel filter that keeps only
 * this node's share of the clients (256 buckets per group, {@link org.bulwark.api.net.BucketHash}).
 *
 * <p>Both services act in the network namespace of the process that hosts them; their
 * implementations also work outside OSGi, which is how their tests run in namespaces of their own.
 */
@Export
@Version("1.2.0")
package org.bulwark.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
