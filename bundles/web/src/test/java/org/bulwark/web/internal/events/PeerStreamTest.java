package org.bulwark.web.internal.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** A peer's event stream over real HTTP: its states, its end, a refusal, a peer that is gone. */
public class PeerStreamTest {
  private static final String AUTH = "Basic cmNtZGFkbWluOnB3";

  private HttpServer peer;
  private final BlockingQueue<String> told = new LinkedBlockingQueue<>();
  private PeerStream stream;

  private final PeerListener listener =
      new PeerListener() {
        @Override
        public void connected() {
          told.add("connected");
        }

        @Override
        public void state(StateEvent e) {
          told.add("state " + e.module() + " " + e.local() + " " + e.remote());
        }

        @Override
        public void lost(String why) {
          told.add("lost " + why);
        }
      };

  @Before
  public void start() throws Exception {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext(
        "/api/v1.0/events",
        exchange -> {
          if (!AUTH.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
          }
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(
              ("retry: 2000\n\n: keepalive\n\nid: 1\nevent: state\ndata: {\"module\":\"appa\","
                      + "\"local\":\"PRIM Ready\",\"remote\":\"SECOND\",\"time\":\"2026-12-05T10:00:00Z\","
                      + "\"later\":1}\n\n")
                  .getBytes(StandardCharsets.UTF_8));
          out.flush();
          exchange.close(); // the stream ends: the follower reconnects
        });
    peer.start();
  }

  @After
  public void stop() {
    if (stream != null) {
      stream.close();
    }
    peer.stop(0);
  }

  private String next() throws InterruptedException {
    String s = told.poll(20, TimeUnit.SECONDS);
    assertNotNull("nothing told within 20 s", s);
    return s;
  }

  private URI events() {
    return URI.create("http://127.0.0.1:" + peer.getAddress().getPort() + "/api/v1.0/events");
  }

  @Test
  public void followsTheStatesReconnectsAndSaysWhenThePeerIsGone() throws Exception {
    stream = PeerStream.open(new Topology.Peer("node2", events()), Optional.of(AUTH), listener);
    assertEquals("connected", next());
    assertEquals("state appa PRIM Ready SECOND", next());
    assertEquals("lost its event stream ended", next());
    // the next try, a retry later
    assertEquals("connected", next());
    assertEquals("state appa PRIM Ready SECOND", next());
    peer.stop(0);
    // the stream in flight ends or breaks with the server ("Premature EOF"), then the next try
    // is refused
    String lost;
    do {
      lost = next();
    } while (lost.startsWith("lost its event stream"));
    assertTrue(lost, lost.startsWith("lost connection refused (127.0.0.1:"));
  }

  @Test
  public void aRefusedPasswordSaysHowToSetIt() throws Exception {
    stream =
        PeerStream.open(new Topology.Peer("node2", events()), Optional.of("Basic bad"), listener);
    String lost = next();
    assertTrue(lost, lost.contains("refused this node's distributed-command user (HTTP 401)"));
    assertTrue(lost, lost.contains("webservercfg -rcmdpasswd"));
  }

  @Test
  public void withoutCredentialsNothingIsTried() throws Exception {
    stream = PeerStream.open(new Topology.Peer("node2", events()), Optional.empty(), listener);
    assertTrue(next().contains("no distributed-command password"));
  }
}
