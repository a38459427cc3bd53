package org.bulwark.api.cli;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One verb of the {@code safekit} command ({@code level}, {@code cmdlog}, {@code cluster} …),
 * published as an OSGi service. The node's CLI server dispatches on {@link #name()}, journals the
 * command when {@link #journaled(CliRequest)} says so, and returns the exit code to the client.
 *
 * <p>A verb never throws for bad input: it prints a message naming what is wrong on {@link
 * CliOutput#err()} and returns a non-zero exit code ({@link CliExit}).
 */
@ConsumerType
public interface CliVerb {

  /** The verb as typed: {@code level}, {@code cmdlog}, {@code module} … */
  String name();

  /**
   * The first arguments this verb answers when another verb shares its name ({@code boot
   * webon|weboff|webstatus} next to {@code boot on|off|status}); empty for a verb that takes every
   * invocation of its name not claimed by another.
   */
  default Set<String> subcommands() {
    return Set.of();
  }

  /** One line for {@code safekit --help}. */
  String summary();

  /** The verb's help text, starting with its usage line(s). */
  String usage();

  /** Whether this invocation modifies the system and so goes to the commands log (spec G.7). */
  default boolean journaled(CliRequest request) {
    return true;
  }

  /** Runs the verb and returns its exit code. */
  int run(CliRequest request, CliOutput out) throws Exception;
}
