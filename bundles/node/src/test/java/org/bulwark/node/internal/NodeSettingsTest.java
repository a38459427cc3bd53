package org.bulwark.node.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;

public class NodeSettingsTest {

  @Test
  public void defaultsDeriveFromTheKarafHome() {
    NodeSettings s = NodeSettings.from(Map.of(), key -> key.equals("karaf.home") ? "/opt/b" : null);
    assertEquals(Path.of("/opt/b"), s.directories().safe());
    assertEquals(Path.of("/opt/b/var"), s.directories().safeVar());
    assertEquals(Path.of("/opt/b/private/bin"), s.directories().safeBin());
    assertEquals("127.0.0.1", s.bindAddress());
  }

  @Test
  public void environmentOverridesProperties() {
    NodeSettings s =
        NodeSettings.from(
            Map.of("SAFEVAR", "/var/safekit", "BULWARK_ADDR", "127.0.0.3"),
            key ->
                switch (key) {
                  case "bulwark.home" -> "/opt/b";
                  case "bulwark.var" -> "/ignored";
                  case "bulwark.addr" -> "127.0.0.2";
                  default -> null;
                });
    assertEquals(Path.of("/var/safekit"), s.directories().safeVar());
    assertEquals("127.0.0.3", s.bindAddress());
  }

  @Test
  public void scriptEnvironmentNamesEveryDirectoryOfSpecE2() {
    NodeSettings s = NodeSettings.from(Map.of(), key -> key.equals("bulwark.home") ? "/s" : null);
    Map<String, String> env = s.directories().scriptEnvironment("mirror");
    assertEquals("/s", env.get("SAFE"));
    assertEquals("/s/var", env.get("SAFEVAR"));
    assertEquals("/s/private/bin", env.get("SAFEBIN"));
    assertEquals("mirror", env.get("SAFEMODULE"));
    assertEquals("/s/private/modules/mirror/bin", env.get("SAFEUSERBIN"));
    assertEquals("/s/private/modules/mirror/conf", env.get("SAFEUSERCONF"));
    assertEquals("/s/var/modules/mirror", env.get("SAFEUSERVAR"));
  }
}
