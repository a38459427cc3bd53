package org.bulwark.web.internal.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one peer's {@code GET /api/v1.0/events} (Server-Sent Events) on a thread of its own, as
 * the distributed-command user, and reconnects every {@link #RETRY} while the peer is down. The
 * peer writes a comment every 5 s: {@link #READ_TIMEOUT} without a line means the peer (or the
 * network) is gone, though no connection was refused. {@link #close()} ends it at once.
 */
final class PeerStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerStream.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
  static final Duration RETRY = Duration.ofSeconds(1);

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Topology.Peer peer;
  private final Optional<String> authorization;
  private final PeerListener listener;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;

  /** The connection being read, so that {@link #close()} can cut it. */
  private volatile HttpURLConnection connection;

  private PeerStream(Topology.Peer peer, Optional<String> authorization, PeerListener listener) {
    this.peer = peer;
    this.authorization = authorization;
    this.listener = listener;
    this.thread = new Thread(this::run, "bulwark-web-peer-" + peer.name());
    thread.setDaemon(true);
  }

  /** Starts following {@code peer}. */
  static PeerStream open(
      Topology.Peer peer, Optional<String> authorization, PeerListener listener) {
    PeerStream s = new PeerStream(peer, authorization, listener);
    s.thread.start();
    return s;
  }

  @Override
  public void close() {
    closed.countDown();
    HttpURLConnection c = connection;
    if (c != null) {
      c.disconnect();
    }
    thread.interrupt();
  }

  private boolean isClosed() {
    return closed.getCount() == 0;
  }

  private void run() {
    try {
      while (!isClosed()) {
        String why = follow();
        if (isClosed()) {
          return;
        }
        listener.lost(why);
        // waits for the next try, or for close()
        if (closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("The event stream of node {} stopped", peer.name(), e);
      listener.lost("internal error: " + e);
    }
  }

  /** Reads the peer's stream until it ends; returns why it ended. */
  private String follow() {
    if (authorization.isEmpty()) {
      return "this node has no distributed-command password to reach it: set the same one on"
          + " every node with 'safekit webservercfg -rcmdpasswd <password>'";
    }
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) peer.events().toURL().openConnection();
      connection = c;
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) READ_TIMEOUT.toMillis());
      c.setRequestProperty("Accept", "text/event-stream");
      c.setRequestProperty("Authorization", authorization.get());
      int status = c.getResponseCode();
      if (status == 401 || status == 403) {
        return "it refused this node's distributed-command user (HTTP "
            + status
            + "): set the same password on every node with 'safekit webservercfg -rcmdpasswd"
            + " <password>'";
      }
      if (status != 200) {
        return "its event stream answered HTTP " + status;
      }
      listener.connected();
      try {
        read(c);
      } catch (SocketTimeoutException e) {
        return "nothing heard from it for " + READ_TIMEOUT.toSeconds() + " s";
      } catch (IOException e) {
        return "its event stream broke ("
            + (e.getMessage() == null ? e.toString() : e.getMessage())
            + "): is the node stopping?";
      }
      return "its event stream ended";
    } catch (ConnectException e) {
      return "connection refused (" + peer.events().getAuthority() + ")";
    } catch (SocketTimeoutException e) {
      return "no answer within " + READ_TIMEOUT.toSeconds() + " s";
    } catch (IOException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    } finally {
      connection = null;
      if (c != null) {
        c.disconnect();
      }
    }
  }

  /** Server-Sent Events: {@code event:} and {@code data:} lines, a blank line ends an event. */
  private void read(HttpURLConnection c) throws IOException {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line = in.readLine(); line != null && !isClosed(); line = in.readLine()) {
        if (line.isEmpty()) {
          if ("state".equals(event) && data.length() > 0) {
            listener.state(JSON.readValue(data.toString(), StateEvent.class));
          }
          event = null;
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        }
      }
    }
  }
}
