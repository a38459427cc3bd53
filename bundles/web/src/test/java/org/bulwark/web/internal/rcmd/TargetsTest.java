package org.bulwark.web.internal.rcmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.Lan;
import org.bulwark.api.config.Node;
import org.junit.Test;

/** {@code -H "<servers>"} (spec F.7): every form, and the errors of each. */
public class TargetsTest {
  private static final int PORT = 9010;

  static ClusterConfig cluster() {
    Lan lan =
        new Lan(
            "default",
            true,
            List.of(
                new Node("node1", "10.0.0.1", Optional.empty()),
                new Node("node2", "10.0.0.2", Optional.empty()),
                new Node("node3", "[fd00::3]", Optional.empty())));
    return new ClusterConfig(
        ClusterConfig.DEFAULT_PORT,
        ClusterConfig.DEFAULT_PULSE,
        ClusterConfig.DEFAULT_MLOST_COUNT,
        ClusterConfig.DEFAULT_SLOST_COUNT,
        List.of(lan));
  }

  private static List<String> labels(String servers) {
    return Targets.parse(servers, Optional.of(cluster()), PORT).stream()
        .map(Target::label)
        .toList();
  }

  @Test
  public void formsOfTheServerList() {
    String[][] cases = {
      {"*", "http://10.0.0.1:9010 http://10.0.0.2:9010 http://[fd00::3]:9010"},
      {"node2", "http://10.0.0.2:9010"},
      {" node2 , node1 ", "http://10.0.0.2:9010 http://10.0.0.1:9010"},
      {"node1,*", "http://10.0.0.1:9010 http://10.0.0.2:9010 http://[fd00::3]:9010"},
      {"[http],h1,10.9.9.9", "http://h1:9010 http://10.9.9.9:9010"},
      {"[http:9500],h1", "http://h1:9500"},
      {"[https],h1", "https://h1:9453"},
      {"[https:8443],h1,fd00::9", "https://h1:8443 https://[fd00::9]:8443"},
      {"http://h1:9010,https://h2", "http://h1:9010 https://h2:9453"},
      {"http://h1", "http://h1:9010"},
      {"http://h1:9010/,node2", "http://h1:9010 http://10.0.0.2:9010"},
      {"http://10.0.0.1:9010,node1", "http://10.0.0.1:9010"},
    };
    for (String[] c : cases) {
      assertEquals(c[0], List.of(c[1].split(" ")), labels(c[0]));
    }
  }

  @Test
  public void namedServersKeepTheirNodeName() {
    List<Target> t = Targets.parse("*", Optional.of(cluster()), PORT);
    assertEquals(Optional.of("node1"), t.get(0).node());
    assertEquals("fd00::3", t.get(2).host());
    assertEquals(Optional.empty(), Targets.parse("[http],h", Optional.empty(), PORT).get(0).node());
  }

  @Test
  public void badServerListsSayWhatIsWrong() {
    String[][] cases = {
      {"", "-H needs the servers"},
      {"  ", "-H needs the servers"},
      {"node1,,node2", "an empty server"},
      {"node9", "no node 'node9' in cluster.xml (nodes: node1, node2, node3)"},
      {"[http]", "no server after [http]"},
      {"[ftp],h1", "no node '[ftp]'"},
      {"[http:0],h1", "port 0 is not between 1 and 65535"},
      {"[http:70000],h1", "port 70000"},
      {"node1,[https]", "'[https]' must come first"},
      {"ftp://h1", "is not an http:// or https:// URL"},
      {"http://h1:9010/api", "give the server only"},
      {"http://u:p@h1", "give the server only"},
      {"[http],h 1", "'h 1' is not a host name or an IP address"},
    };
    for (String[] c : cases) {
      try {
        Targets.parse(c[0], Optional.of(cluster()), PORT);
        fail("accepted " + c[0]);
      } catch (IllegalArgumentException e) {
        assertTrue(c[0] + ": " + e.getMessage(), e.getMessage().contains(c[1]));
      }
    }
  }

  @Test
  public void namesNeedAClusterConfiguration() {
    for (String servers : List.of("*", "node1")) {
      try {
        Targets.parse(servers, Optional.empty(), PORT);
        fail("accepted " + servers);
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("no cluster configuration is applied"));
      }
    }
    assertEquals(1, Targets.parse("http://h1:9010", Optional.empty(), PORT).size());
  }
}
