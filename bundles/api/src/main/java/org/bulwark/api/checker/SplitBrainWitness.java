package org.bulwark.api.checker;

import java.util.List;

/**
 * The witnesses of {@code <splitbrain>} (spec B.18, C.8), asked by the module runtime when a mirror
 * node lost every heartbeat and is about to go ALONE: only the node that reaches one goes on. Not a
 * periodic checker: each question is one round of echoes, answered on the caller's thread.
 */
public interface SplitBrainWitness {

  /**
   * Pings the witnesses, one after the other, until one answers.
   *
   * @param witnesses addresses or names, as the {@code arg} attribute gives them
   * @return up with the witness that answered, or down with every witness's reason
   */
  ProbeResult ask(List<String> witnesses);
}
