package org.bulwark.deployer.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.bulwark.api.deploy.ModuleHeaders;

/**
 * The bytes of a module bundle: a manifest with the {@link ModuleHeaders} and, for inspection, the
 * applied {@code userconfig.xml}. No classes: the module runtime is the extender that gives it
 * behaviour.
 */
final class ModuleBundleJar {

  static final String USERCONFIG_RESOURCE = "OSGI-INF/bulwark/userconfig.xml";

  private ModuleBundleJar() {}

  static Manifest manifest(ModuleBundle bundle, int generation) {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", ModuleHeaders.symbolicName(bundle.module()));
    main.putValue("Bundle-Version", "1.0." + generation);
    main.putValue("Bundle-Name", "Bulwark module " + bundle.module());
    main.putValue(ModuleHeaders.MODULE, bundle.module());
    main.putValue(ModuleHeaders.MODULE_ID, Integer.toString(bundle.id()));
    main.putValue(ModuleHeaders.MODULE_HOME, bundle.home().toString());
    main.putValue(ModuleHeaders.MODULE_CONFIG, bundle.config().toString());
    main.putValue(ModuleHeaders.MODULE_SIGNATURE, bundle.signature());
    return manifest;
  }

  static byte[] build(ModuleBundle bundle, int generation) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest(bundle, generation))) {
      Path userconfig = bundle.config().resolve(SafeArchive.USERCONFIG);
      if (Files.isRegularFile(userconfig)) {
        jar.putNextEntry(new JarEntry(USERCONFIG_RESOURCE));
        jar.write(Files.readAllBytes(userconfig));
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
