/**
 * File-system interception (spec B.7): a pass-through file system mounted over a replicated
 * directory, so that every mutating operation of the application passes through a {@link
 * org.bulwark.api.fs.FileInterceptor} before the application's call returns.
 *
 * <p>The {@link org.bulwark.api.fs.FileSystemDriver} service mounts; real-time replication plugs
 * its write path in as the interceptor. The driver also works outside OSGi (construct the
 * implementation directly), which is how its tests and benchmarks run.
 *
 * <p>1.1.0: {@code LocalTree.OpenFile.setTimes} and {@code syncRange}.
 *
 * <p>1.2.0: {@code FileSystemDriver.holders}, for a directory mounted or not.
 */
@Export
@Version("1.2.0")
package org.bulwark.api.fs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
