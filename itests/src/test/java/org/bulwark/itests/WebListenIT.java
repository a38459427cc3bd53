package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * Where the web service listens (issue 12 item 5) on a real node: by default on the node's
 * cluster.xml addresses, widened without a restart when a cluster.xml is applied; {@code safekit
 * webserver stop|start} and {@code boot weboff|webon} (spec F.1) stop and start it while the node
 * and its CLI keep running.
 */
public class WebListenIT {
  private static final String ADDRESS = "127.0.0.185";
  private static final String SECOND_LAN = "127.0.0.187";
  private static final int PORT = 19185;
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static boolean accepts(String address) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, PORT), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits for the listener to reach the wanted state, failing after {@link #SETTLE}. */
  private static void awaitAccepts(String address, boolean wanted) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (accepts(address) != wanted) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            address
                + ":"
                + PORT
                + (wanted ? " never accepted" : " still accepts")
                + " connections");
      }
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> get(String address, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + address + ":" + PORT + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the console answers on {@code address}: Pax Web has registered it again. */
  private static void awaitServing(String address) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      try {
        if (get(address, "/console").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the console never answered on " + address);
      }
      Thread.sleep(100);
    }
  }

  @Test
  public void listensOnClusterAddressesAndStopsAndStartsOnCommand() throws Exception {
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      assertTrue(accepts(ADDRESS));
      assertFalse(accepts(SECOND_LAN));

      Path xml = node.home.getParent().resolve("cluster.xml");
      Files.writeString(
          xml,
          "<cluster><lans>\n"
              + "  <lan name=\"default\"><node name=\"n1\" addr=\""
              + ADDRESS
              + "\"/><node name=\"n2\" addr=\"127.0.0.186\"/></lan>\n"
              + "  <lan name=\"backup\"><node name=\"n1\" addr=\""
              + SECOND_LAN
              + "\"/><node name=\"n2\" addr=\"127.0.0.188\"/></lan>\n"
              + "</lans></cluster>\n");
      ok(node.safekit("cluster", "config", xml.toString()));
      // no restart: the web service follows the applied cluster.xml, the node keeps running
      awaitServing(SECOND_LAN);
      // the anonymous pages answer on the new address: health check (spec G.10), mosaic, console
      assertEquals(404, get(SECOND_LAN, "/var/modules/none/ready.txt").statusCode());
      HttpResponse<String> mosaic = get(SECOND_LAN, "/safekit/mosaic.html?m=none");
      assertEquals(200, mosaic.statusCode());
      assertTrue(mosaic.body(), mosaic.body().contains("Farm mosaic"));
      assertEquals(200, get(SECOND_LAN, "/console").statusCode());
      assertTrue(
          ok(node.safekit("webserver", "status"))
              .out()
              .contains("webserver running on 127.0.0.185,127.0.0.187 port 19185"));

      ok(node.safekit("webserver", "stop"));
      assertFalse(accepts(ADDRESS));
      assertFalse(accepts(SECOND_LAN));
      assertTrue(ok(node.safekit("webserver", "status")).out().contains("webserver stopped"));
      ok(node.safekit("webserver", "start"));
      assertTrue(accepts(ADDRESS) && accepts(SECOND_LAN));
      ok(node.safekit("webserver", "restart"));
      assertEquals(200, node.get("/console").statusCode());

      // bad arguments: a usage error and nothing changes
      Result bad = node.safekit("webserver", "halt");
      assertEquals(bad.toString(), 2, bad.exitCode());
      assertTrue(bad.err(), bad.err().contains("unknown action 'halt'"));
      assertTrue(accepts(ADDRESS));

      // boot weboff: the running service stays up; after a node restart it does not start
      ok(node.safekit("boot", "weboff"));
      assertTrue(ok(node.safekit("boot", "webstatus")).out().contains("webserver boot off"));
      assertTrue(accepts(ADDRESS));
      ok(node.stop());
      ok(node.start());
      awaitAccepts(ADDRESS, false);
      assertTrue(ok(node.safekit("webserver", "status")).out().contains("stopped"));
      ok(node.safekit("boot", "webon"));
      ok(node.safekit("webserver", "start"));
      assertTrue(accepts(SECOND_LAN));
      // the module verb still answers the other boot words
      ok(node.safekit("boot", "status"));
    }
  }
}
