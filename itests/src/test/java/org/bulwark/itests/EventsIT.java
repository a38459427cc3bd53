package org.bulwark.itests;

import static org.bulwark.itests.NodeHttp.MONITOR;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Server push (issue 12): {@code GET /api/v1.0/events} read by a real HTTP client while a module
 * starts and stops; a bounded number of streams, and a client that goes away frees its place.
 */
public class EventsIT {
  private static final String ADDRESS = "127.0.0.189";
  private static final int PORT = 19189;
  private static final String MODULE = "appe";
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** An open event stream: its {@code data:} lines, read by a thread of its own. */
  static final class Stream implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final Thread reader;

    Stream(HttpResponse<InputStream> response) {
      this.response = response;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("data: ")) {
                      data.add(line.substring(6));
                    }
                  }
                } catch (IOException e) {
                  // closed by the test
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a data line containing every one of {@code parts}; returns it. */
    String await(String... parts) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        String line = data.poll(500, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        seen.add(line);
        if (List.of(parts).stream().allMatch(line::contains)) {
          return line;
        }
      }
      throw new AssertionError("no event with " + List.of(parts) + " in " + seen);
    }

    @Override
    public void close() throws IOException {
      response.body().close();
    }
  }

  /** {@code GET /api/v1.0/events}; the answer's body is the stream. */
  static HttpResponse<InputStream> open(NodeHttp http, String authorization) throws Exception {
    // no timeout: the stream stays open as long as the test reads it
    HttpRequest.Builder b =
        HttpRequest.newBuilder(http.uri("/api/v1.0/events")).header("Accept", "text/event-stream");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return NodeHttp.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static String body(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  public void moduleStateChangesArePushedToConnectedClients() throws Exception {
    List<Stream> streams = new ArrayList<>();
    try (NodeProcess node = NodeProcess.copy(ADDRESS, PORT)) {
      ok(node.start());
      NodeHttp http = new NodeHttp(node);
      NodeHttp.setUsers(node);
      NodeHttp.installTracing(node, MODULE);

      HttpResponse<InputStream> refused = open(http, null);
      assertEquals(401, refused.statusCode());
      body(refused);

      HttpResponse<InputStream> first = open(http, MONITOR);
      assertEquals(200, first.statusCode());
      assertTrue(
          first.headers().toString(),
          first.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      Stream events = new Stream(first);
      streams.add(events);
      // the current state first, then each change as it happens
      events.await("\"module\":\"" + MODULE + "\"", "\"local\":\"STOP NotReady\"");
      ok(node.safekit("start", "-m", MODULE));
      events.await("\"module\":\"" + MODULE + "\"", "\"local\":\"UP Ready\"", "\"time\":\"");
      ok(node.safekit("stop", "-m", MODULE));
      events.await("\"module\":\"" + MODULE + "\"", "\"local\":\"STOP NotReady\"");

      // at most 32 streams: the next one gets a problem document
      while (streams.size() < 32) {
        HttpResponse<InputStream> r = open(http, MONITOR);
        assertEquals(200, r.statusCode());
        streams.add(new Stream(r));
      }
      HttpResponse<InputStream> full = open(http, MONITOR);
      String problem = body(full);
      assertEquals(problem, 503, full.statusCode());
      assertTrue(problem, problem.contains("already serves 32 event streams"));
      // a client that goes away frees its place (found at the next keepalive, within 5 s)
      streams.remove(0).close();
      long deadline = System.nanoTime() + WAIT.toNanos();
      HttpResponse<InputStream> again;
      while ((again = open(http, MONITOR)).statusCode() == 503) {
        body(again);
        assertTrue("the closed stream was never released", System.nanoTime() < deadline);
        Thread.sleep(200);
      }
      assertEquals(200, again.statusCode());
      streams.add(new Stream(again));
    } finally {
      for (Stream s : streams) {
        s.close();
      }
    }
  }
}
