package org.bulwark.node.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bulwark.api.env.SafeDirectories;

/**
 * Where the node's settings come from, in order: the environment ({@code SAFE}, {@code SAFEVAR},
 * {@code BULWARK_ADDR}), then the system properties that {@code bin/bulwark} sets ({@code
 * bulwark.home}, {@code bulwark.var}, {@code bulwark.addr}), then Karaf's own {@code karaf.home}.
 */
record NodeSettings(SafeDirectories directories, String bindAddress) {

  static final String DEFAULT_ADDRESS = "127.0.0.1";

  static NodeSettings from(Map<String, String> env, UnaryOperator<String> properties) {
    String home = firstNonBlank(properties.apply("bulwark.home"), properties.apply("karaf.home"));
    Path root = Path.of(home == null ? "." : home);
    String var = properties.apply("bulwark.var");
    Map<String, String> merged = new java.util.HashMap<>(env);
    if (var != null && !var.isBlank() && !env.containsKey("SAFEVAR")) {
      merged.put("SAFEVAR", var);
    }
    String address =
        firstNonBlank(env.get("BULWARK_ADDR"), properties.apply("bulwark.addr"), DEFAULT_ADDRESS);
    return new NodeSettings(SafeDirectories.resolve(root, merged), address);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
