package org.bulwark.shell.internal.commands;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.bulwark.api.cli.CliService;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;

/** Completes the command word, then module names after {@code -m}. */
@Service
public class SafekitCompleter implements Completer {

  @Reference CliService cli;

  @Reference(optional = true)
  ModuleRegistry modules;

  @Override
  public int complete(Session session, CommandLine commandLine, List<String> candidates) {
    StringsCompleter strings = new StringsCompleter();
    String[] words = commandLine.getArguments();
    int index = commandLine.getCursorArgumentIndex();
    boolean afterM = index >= 1 && index - 1 < words.length && "-m".equals(words[index - 1]);
    if (afterM && modules != null) {
      modules.modules().stream().map(ModuleStatus::name).forEach(strings.getStrings()::add);
    } else {
      strings.getStrings().addAll(cli.verbs());
    }
    return strings.complete(session, commandLine, candidates);
  }
}
