package org.bulwark.api.fs;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Opens {@link LocalTree}s: the service of the native file-system bundle. */
@ProviderType
public interface LocalTrees {

  /**
   * Opens {@code directory} ({@code O_PATH | O_DIRECTORY}), following symbolic links in the path
   * given here (the configured path is trusted; what lies beneath it is not). Open it before
   * mounting over the directory to keep reaching the real files.
   */
  LocalTree open(Path directory) throws IOException;
}
