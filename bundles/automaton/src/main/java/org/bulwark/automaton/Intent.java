package org.bulwark.automaton;

/** How a mirror module was started (spec F.3): the role asked for, if any. */
public enum Intent {
  NORMAL,
  PRIM,
  PRIMFORCE,
  SECOND,
  SECONDFORCE;

  boolean wantsPrimary() {
    return this == PRIM || this == PRIMFORCE;
  }

  boolean wantsSecondary() {
    return this == SECOND || this == SECONDFORCE;
  }
}
