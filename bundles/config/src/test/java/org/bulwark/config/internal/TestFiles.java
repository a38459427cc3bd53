package org.bulwark.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.config.Node;

/** Test resources and the cluster the module files are checked against. */
final class TestFiles {

  /** One parser for all tests of a run: the schemas are read once. */
  static final XmlConfigService SERVICE = new XmlConfigService();

  /** Two lans, two nodes: what a mirror module needs. */
  static final ClusterConfig CLUSTER =
      new ClusterConfig(
          4800,
          java.time.Duration.ofMillis(100),
          20,
          10,
          List.of(
              new Lan(
                  "default",
                  false,
                  List.of(
                      new Node("node1", "192.168.1.10", Optional.empty()),
                      new Node("node2", "192.168.1.11", Optional.empty()))),
              new Lan(
                  "repli",
                  false,
                  List.of(
                      new Node("node1", "10.0.0.10", Optional.empty()),
                      new Node("node2", "10.0.0.11", Optional.empty())))));

  static final ModuleContext CONTEXT =
      new ModuleContext(
          "AM", 1, Map.of("SAFEBIN", "/opt/safekit/private/bin"), Optional.of(CLUSTER));

  private TestFiles() {}

  static byte[] bytes(String resource) {
    try (InputStream in = TestFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }
}
