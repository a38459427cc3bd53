package org.bulwark.api.config;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Parses and validates {@code cluster.xml} (spec A) and {@code userconfig.xml} (spec B): XML well
 * formed and safe (no DOCTYPE beyond {@code <!DOCTYPE safe>}, no entity ever resolved), structure
 * per the shipped XSD schemas, macros, time values, and the semantic rules of the spec. Every error
 * is reported at once. Implementations never throw for bad content.
 */
@ProviderType
public interface ConfigService {

  /** Parses a {@code cluster.xml} given as bytes; {@code fileName} is used in error messages. */
  ConfigResult<ClusterConfig> parseCluster(String fileName, byte[] content);

  /**
   * Parses a {@code userconfig.xml} given as bytes.
   *
   * @param fileName used in error messages
   * @param content the file's bytes
   * @param context what the module's configuration is checked against
   */
  ConfigResult<ModuleConfig> parseModule(String fileName, byte[] content, ModuleContext context);

  /** Reads and parses a {@code cluster.xml}; an unreadable file is an error, not an exception. */
  ConfigResult<ClusterConfig> loadCluster(Path file);

  /** Reads and parses a {@code userconfig.xml}; an unreadable file is an error. */
  ConfigResult<ModuleConfig> loadModule(Path file, ModuleContext context);
}
