package org.bulwark.shell.internal.commands;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;

/** {@code bulwark:modules}: the modules of this node as a table (name, id, kind, state). */
@Command(scope = "bulwark", name = "modules", description = "List the modules of this node")
@Service
public class ModulesCommand implements Action {

  @Reference ModuleRegistry registry;

  @Override
  public Object execute() {
    ShellTable table = new ShellTable();
    table.column("Module");
    table.column("Id").alignRight();
    table.column("Kind");
    table.column("State");
    for (ModuleStatus m : registry.modules()) {
      table.addRow().addContent(m.name(), m.id(), m.kind().configName(), m.local().toString());
    }
    table.print(System.out);
    return null;
  }
}
