package org.bulwark.web.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bulwark.api.env.NodeEnvironment;

/** What {@code safekit level} says of a node (spec F.1), as the web service serves it. */
public final class Level {
  private Level() {}

  /** Host, operating system, product version and license, in that order. */
  public static Map<String, String> of(NodeEnvironment env) {
    Map<String, String> level = new LinkedHashMap<>();
    level.put("host", env.hostName());
    level.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    level.put("version", env.version());
    level.put("license", "Demo (No license)");
    return level;
  }
}
