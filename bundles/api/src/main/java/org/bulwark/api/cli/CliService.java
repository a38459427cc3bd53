package org.bulwark.api.cli;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs a {@code safekit} command line inside the node, exactly as the {@code safekit} client does:
 * for the Karaf shell, and later the REST API and the console (one service, thin faces).
 */
@ProviderType
public interface CliService {

  /**
   * Runs one command line.
   *
   * @param args the arguments as typed after {@code safekit}
   * @param environment the caller's environment that verbs use ({@code SAFEMODULE}, {@code USER})
   * @param out where the command writes
   * @return the exit code
   */
  int execute(List<String> args, Map<String, String> environment, CliOutput out);

  /** The verb names, for completion and help. */
  List<String> verbs();
}
