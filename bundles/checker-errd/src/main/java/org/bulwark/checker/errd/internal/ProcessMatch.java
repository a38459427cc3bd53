package org.bulwark.checker.errd.internal;

import java.util.Optional;
import java.util.regex.Pattern;
import org.bulwark.api.checker.ProcessTable;
import org.bulwark.api.config.Errd;

/**
 * Which processes a {@code <proc>} or {@code safekit kill} names (spec B.10): the kernel's command
 * name equal to {@code name} (at most 15 characters, as the kernel keeps them: the configuration
 * refuses longer ones), or found by {@code nameregex}; and {@code argregex} found in the argument
 * list, executable first.
 */
record ProcessMatch(String name, Optional<Pattern> nameregex, Optional<Pattern> argregex) {

  static ProcessMatch of(Errd.Proc p) {
    return new ProcessMatch(
        p.name(), p.nameregex().map(Pattern::compile), p.argregex().map(Pattern::compile));
  }

  boolean matches(ProcessTable.Process p) {
    boolean byName = nameregex.map(re -> re.matcher(p.comm()).find()).orElse(p.comm().equals(name));
    return byName && argregex.map(re -> re.matcher(p.args()).find()).orElse(true);
  }
}
