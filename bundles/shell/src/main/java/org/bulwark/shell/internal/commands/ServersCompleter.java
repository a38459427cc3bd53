package org.bulwark.shell.internal.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.env.NodeEnvironment;

/** Completes {@code -H}: {@code *} and the node names of the applied cluster.xml. */
@Service
public class ServersCompleter implements Completer {

  @Reference(optional = true)
  ConfigService config;

  @Reference(optional = true)
  NodeEnvironment env;

  @Override
  public int complete(Session session, CommandLine commandLine, List<String> candidates) {
    StringsCompleter strings = new StringsCompleter();
    strings.getStrings().add("*");
    if (config != null && env != null) {
      Path xml = env.directories().cluster().resolve("cluster.xml");
      if (Files.exists(xml)) {
        ConfigResult<ClusterConfig> cluster = config.loadCluster(xml);
        if (cluster.isValid()) {
          strings.getStrings().addAll(cluster.orElseThrow().nodeNames());
        }
      }
    }
    return strings.complete(session, commandLine, candidates);
  }
}
