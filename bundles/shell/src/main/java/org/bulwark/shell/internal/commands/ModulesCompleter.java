package org.bulwark.shell.internal.commands;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;

/** Completes the modules of this node (the values of {@code -m} and {@code -E}). */
@Service
public class ModulesCompleter implements Completer {

  @Reference(optional = true)
  ModuleRegistry modules;

  @Override
  public int complete(Session session, CommandLine commandLine, List<String> candidates) {
    StringsCompleter strings = new StringsCompleter();
    if (modules != null) {
      modules.modules().stream().map(ModuleStatus::name).forEach(strings.getStrings()::add);
    }
    return strings.complete(session, commandLine, candidates);
  }
}
