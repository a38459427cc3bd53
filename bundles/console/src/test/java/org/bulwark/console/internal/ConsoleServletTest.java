package org.bulwark.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.bulwark.api.env.NodeEnvironment;
import org.junit.Test;

/** The page that the build put into the bundle, with the serving node named in it. */
public class ConsoleServletTest {
  private static NodeEnvironment node(String host, String version, String address) {
    return (NodeEnvironment)
        Proxy.newProxyInstance(
            NodeEnvironment.class.getClassLoader(),
            new Class<?>[] {NodeEnvironment.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "hostName" -> host;
                  case "version" -> version;
                  case "bindAddress" -> address;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  public void thePageNamesTheNodeThatServesIt() throws Exception {
    String page = ConsoleServlet.index(node("node1", "0.1.0", "127.0.0.210"));
    assertTrue(page, page.contains("Bulwark node node1, version 0.1.0, listening on 127.0.0.210"));
    assertFalse(page, page.contains(ConsoleServlet.NODE_MARK));
    // the built page loads its script and styles from the bundle's assets
    assertTrue(page, page.contains("src=\"/console/assets/"));
  }

  @Test
  public void aHostNameCannotInjectMarkup() throws Exception {
    String page = ConsoleServlet.index(node("<script>x</script>", "1", "::1"));
    assertTrue(page, page.contains("&lt;script&gt;x&lt;/script&gt;"));
    assertFalse(page, page.contains("<script>x"));
  }

  @Test
  public void gzipIsSentToWhoAcceptsIt() {
    // RFC 9110 12.5.3: a coding listed, or *, unless its weight is 0
    String[][] table = {
      {"gzip, deflate, br", "true"},
      {"br;q=1.0, gzip;q=0.8", "true"},
      {"GZIP", "true"},
      {"deflate", "false"},
      {"gzip;q=0", "false"},
      {"gzip; q=0.000", "false"},
      {"*", "true"},
      {"*;q=0", "false"},
      {"gzip;q=0, *", "false"},
      {"", "false"},
    };
    for (String[] row : table) {
      assertEquals(row[0], Boolean.parseBoolean(row[1]), ConsoleServlet.acceptsGzip(row[0]));
    }
    assertFalse(ConsoleServlet.acceptsGzip(null));
  }

  @Test
  public void theCompressedPageInflatesToThePage() throws Exception {
    String page = ConsoleServlet.index(node("node1", "0.1.0", "127.0.0.210"));
    byte[] z = ConsoleServlet.gzip(page.getBytes(StandardCharsets.UTF_8));
    try (var in = new GZIPInputStream(new ByteArrayInputStream(z))) {
      assertEquals(page, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertTrue(z.length < page.length());
  }
}
