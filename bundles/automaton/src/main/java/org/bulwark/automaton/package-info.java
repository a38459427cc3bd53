/**
 * The module automata as pure step functions (DESIGN.md "automaton"; STYLE.md habit 1): {@link
 * org.bulwark.automaton.MirrorAutomaton} (spec C), {@link org.bulwark.automaton.FarmAutomaton}
 * (spec D.1, also the light module), heartbeat peer tracking ({@link
 * org.bulwark.automaton.HeartbeatTracker}, spec B.4) and the per-module drivers that combine them
 * ({@link org.bulwark.automaton.MirrorDriver}, {@link org.bulwark.automaton.FarmDriver}).
 *
 * <p>Nothing here does I/O, reads a clock, starts a thread or touches OSGi: time arrives as an
 * argument, side effects leave as ordered {@link org.bulwark.automaton.Action} lists that the
 * module runtime executes, and results come back as {@link org.bulwark.automaton.Event}s.
 */
@Export
@Version("1.0.0")
package org.bulwark.automaton;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
