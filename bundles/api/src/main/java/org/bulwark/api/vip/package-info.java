/**
 * The virtual IP of mirror modules (spec B.6): the service the module runtime asks to set a
 * module's virtual addresses on entering ALONE or PRIM and to remove them on leaving, and the
 * events it reports back; for farm modules, the addresses of every node and the kernel filter the
 * membership programs (spec D.3, D.4). The runtime coordinates; the vip bundle holds every piece of
 * VIP state and reaches the kernel through {@link org.bulwark.api.net.AddressManager}.
 */
@Export
@Version("1.1.0")
package org.bulwark.api.vip;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
