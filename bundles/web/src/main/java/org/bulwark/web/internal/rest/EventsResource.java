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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.bulwark.web.internal.auth.Role;
import org.bulwark.web.internal.events.ClusterEvent;
import org.bulwark.web.internal.events.ClusterFeed;
import org.bulwark.web.internal.events.NodeStateEvent;
import org.bulwark.web.internal.events.StateEvent;
import org.bulwark.web.internal.events.StateFeed;

/**
 * {@code GET /events}: the module state changes of this node as Server-Sent Events, for tools and
 * the other nodes; {@code GET /events/cluster}: those of every node of the cluster, for the
 * console. A stream starts with the current state of every module, then one {@code state} event per
 * change; a comment line every {@link #KEEPALIVE} keeps proxies from closing it and finds a client
 * that went away, whose subscription is then dropped. A client that reads too slowly to keep {@link
 * #BACKLOG} events queued is disconnected (it reconnects and gets a fresh snapshot).
 */
@Path("/")
public final class EventsResource {
  static final Duration KEEPALIVE = Duration.ofSeconds(5);
  static final int BACKLOG = 1024;
  static final String EVENT_STREAM = "text/event-stream";

  private final StateFeed feed;
  private final ClusterFeed cluster;
  private final Duration keepalive;
  private final ObjectMapper json = RestApi.mapper();

  EventsResource(StateFeed feed, ClusterFeed cluster, Duration keepalive) {
    this.feed = feed;
    this.cluster = cluster;
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
    return eventStream(feed::subscribe, feed::isOpen, e -> "state");
  }

  @GET
  @Path("events/cluster")
  @Produces(EVENT_STREAM)
  @ApiDoc(
      value =
          "The module states of every node of the cluster as Server-Sent Events: the current ones,"
              + " then each change (spec G.4: one console for all nodes)",
      description =
          "A node event (data: NodeStatus) says whether a node answers: UP, or ERROR while it"
              + " cannot be reached (its modules are then shown ERROR); a state event (data:"
              + " NodeStateEvent) is one module's state on one node. This node follows the others'"
              + " /events as the distributed-command user (safekit webservercfg -rcmdpasswd).",
      errors = 503,
      returns = NodeStateEvent.class)
  @Allow(Role.MONITOR)
  public Response clusterEvents() {
    return eventStream(
        cluster::subscribe, cluster::isOpen, e -> e instanceof ClusterEvent c ? c.type() : "state");
  }

  /** A feed's subscription: a sink in, what ends it out; refused when the feed is full. */
  private interface Feed<T> {
    Runnable subscribe(Consumer<T> sink) throws StateFeed.Full;
  }

  /**
   * The events of a feed as a stream: queued as they come (at most {@link #BACKLOG}, then the
   * stream ends so that the client reconnects and starts again from the current states), each named
   * by {@code type}. A full feed answers 503.
   */
  private <T> Response eventStream(
      Feed<T> feed, BooleanSupplier open, Function<Object, String> type) {
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
    return eventStream(out -> stream(out, queue, overflow, unsubscribe, open, type));
  }

  private static Response eventStream(StreamingOutput stream) {
    return Response.ok(stream, EVENT_STREAM)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  private void stream(
      OutputStream out,
      BlockingQueue<Object> queue,
      AtomicBoolean overflow,
      Runnable unsubscribe,
      BooleanSupplier open,
      Function<Object, String> type)
      throws IOException {
    long id = 0;
    try {
      write(out, "retry: 2000\n\n");
      while (!overflow.get() && open.getAsBoolean()) {
        Object event = queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
          write(out, ": keepalive\n\n");
        } else {
          write(
              out,
              "id: "
                  + ++id
                  + "\nevent: "
                  + type.apply(event)
                  + "\ndata: "
                  + json.writeValueAsString(event)
                  + "\n\n");
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
