package org.bulwark.web.internal.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.events.StateEvent;
import org.bulwark.web.internal.events.StateFeed;

/**
 * {@code GET /events}: the module state changes of this node as Server-Sent Events, for the console
 * and tools. A stream starts with the current state of every module, then one {@code state} event
 * per change; a comment line every {@link #KEEPALIVE} keeps proxies from closing it and finds a
 * client that went away, whose subscription is then dropped. A client that reads too slowly to keep
 * {@link #BACKLOG} events queued is disconnected (it reconnects and gets a fresh snapshot).
 */
@Path("/")
public final class EventsResource {
  static final Duration KEEPALIVE = Duration.ofSeconds(5);
  static final int BACKLOG = 1024;
  static final String EVENT_STREAM = "text/event-stream";

  private final StateFeed feed;
  private final Duration keepalive;
  private final ObjectMapper json = RestApi.mapper();

  EventsResource(StateFeed feed, Duration keepalive) {
    this.feed = feed;
    this.keepalive = keepalive;
  }

  @GET
  @Path("events")
  @Produces(EVENT_STREAM)
  @ApiDoc(
      value =
          "The module states of this node as Server-Sent Events: the current ones, then each change",
      description = "Each event is a state event whose data is a StateEvent.",
      errors = 503,
      returns = StateEvent.class)
  @Allow(Role.MONITOR)
  public Response events() {
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>(BACKLOG);
    AtomicBoolean overflow = new AtomicBoolean();
    Runnable unsubscribe;
    try {
      unsubscribe =
          feed.subscribe(
              e -> {
                if (!queue.offer(e)) {
                  overflow.set(true);
                }
              });
    } catch (StateFeed.Full e) {
      throw new ApiException(503, e.getMessage());
    }
    StreamingOutput stream = out -> stream(out, queue, overflow, unsubscribe);
    return Response.ok(stream, EVENT_STREAM)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  private void stream(
      OutputStream out, BlockingQueue<Object> queue, AtomicBoolean overflow, Runnable unsubscribe)
      throws IOException {
    long id = 0;
    try {
      write(out, "retry: 2000\n\n");
      while (!overflow.get() && feed.isOpen()) {
        Object event = queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
          write(out, ": keepalive\n\n");
        } else {
          write(
              out,
              "id: " + ++id + "\nevent: state\ndata: " + json.writeValueAsString(event) + "\n\n");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      unsubscribe.run();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
