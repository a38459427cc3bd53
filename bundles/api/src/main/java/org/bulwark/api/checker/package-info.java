/**
 * Checkers (spec B.10–B.18): the SPI that each checker bundle implements ({@link
 * org.bulwark.api.checker.CheckerProvider} turns a module's configuration into {@link
 * org.bulwark.api.checker.Watch}s whose {@link org.bulwark.api.checker.Probe} tests one target and
 * returns a result), and the service the module runtime uses ({@link
 * org.bulwark.api.checker.CheckerService}). A checker never acts: the executor behind {@code
 * CheckerService} owns intervals, timeouts, hysteresis and the {@code when} phases, and sets the
 * resources through the module's {@link org.bulwark.api.checker.CheckerTarget}.
 */
@Export
@Version("1.0.0")
package org.bulwark.api.checker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
