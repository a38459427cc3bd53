/**
 * The failover machine of spec B.19 as pure logic: {@link org.bulwark.failover.FailoverRules}
 * compiles a module's rules (the predefined and internal ones, the checkers' generated ones and the
 * {@code <failover>} text of {@code userconfig.xml}) into a {@link org.bulwark.failover.RuleSet},
 * or reports every mistake with file, line and column; a {@link
 * org.bulwark.failover.FailoverMachine} evaluates that set over {@link
 * org.bulwark.failover.ResourceSnapshot}s at each tick and answers {@link
 * org.bulwark.failover.Decision}s once a rule has held for {@code handle_time}.
 *
 * <p>Nothing here does I/O, reads a clock, starts a thread or touches OSGi (STYLE.md habit 1): time
 * arrives as an argument, and the module runtime turns decisions into its own commands.
 */
@Export
@Version("1.0.0")
package org.bulwark.failover;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
