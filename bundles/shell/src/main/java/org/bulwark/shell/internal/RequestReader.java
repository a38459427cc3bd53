package org.bulwark.shell.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.bulwark.api.cli.CliExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads requests off the administration socket on one selector thread, so that clients that connect
 * and send nothing, or send slowly, cost a file descriptor and a few bytes each and never a worker:
 * only complete requests are handed on. Each connection has a deadline to deliver its request, and
 * at most {@code maxPending} connections are read at once, the oldest being closed to make room
 * (the C client sends its request as soon as it is connected, so the oldest is the idlest). A
 * refused request is answered at once, then the rest of what the client sends is read and dropped
 * until it hangs up or the deadline passes, so that a client still writing gets the answer rather
 * than a broken pipe.
 */
final class RequestReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestReader.class);
  private static final Duration ACCEPT_PAUSE = Duration.ofSeconds(1);

  /** Takes a complete request; the channel is blocking, off the selector, and the handler's. */
  interface Handler {
    void handle(SocketChannel client, Frames.Request request);
  }

  /** One connection being read (or drained after a refusal). */
  private static final class Pending {
    final SocketChannel channel;
    final SelectionKey key;
    final long deadline;
    final RequestDecoder decoder = new RequestDecoder(Frames.MAX_REQUEST);
    boolean draining;

    Pending(SocketChannel channel, SelectionKey key, long deadline) {
      this.channel = channel;
      this.key = key;
      this.deadline = deadline;
    }
  }

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Duration readTimeout;
  private final int maxPending;
  private final Handler handler;
  private final Thread thread;
  private volatile boolean stopping;

  // the rest is used by the selector thread only
  private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);

  /** In accept order: the first is the oldest and has the nearest deadline. */
  private final LinkedHashSet<Pending> pending = new LinkedHashSet<>();

  private final List<Pending> complete = new ArrayList<>();

  private SelectionKey acceptKey;
  private boolean acceptPaused;
  private long acceptResumes;

  RequestReader(ServerSocketChannel server, Duration readTimeout, int maxPending, Handler handler)
      throws IOException {
    this.server = server;
    this.readTimeout = readTimeout;
    this.maxPending = maxPending;
    this.handler = handler;
    this.selector = Selector.open();
    try {
      server.configureBlocking(false);
      acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      selector.close();
      throw e;
    }
    this.thread = new Thread(this::run, "safekit-cli-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops reading and closes every connection not yet handed on. */
  @Override
  public void close() throws IOException {
    stopping = true;
    selector.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!stopping) {
        selector.select(untilNextWakeup());
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            acceptAll();
          } else if (key.isReadable()) {
            read((Pending) key.attachment());
          }
        }
        selector.selectedKeys().clear();
        expire();
        resumeAccepting();
        handOver();
      }
    } catch (IOException | RuntimeException e) {
      if (!stopping) {
        LOG.error("safekit command server: reading requests stopped", e);
      }
    } finally {
      pending.forEach(p -> closeQuietly(p.channel));
      pending.clear();
      complete.forEach(p -> closeQuietly(p.channel));
      closeQuietly(selector);
    }
  }

  /** Milliseconds to the nearest deadline or accept resumption; 0 (none) waits for I/O. */
  private long untilNextWakeup() {
    long next;
    if (!pending.isEmpty()) {
      next = pending.iterator().next().deadline;
      if (acceptPaused && acceptResumes - next < 0) {
        next = acceptResumes;
      }
    } else if (acceptPaused) {
      next = acceptResumes;
    } else {
      return 0;
    }
    return Math.max(1, (next - System.nanoTime() + 999_999) / 1_000_000);
  }

  /** Accepts what is waiting, at most {@code maxPending} a round so that reads get their turn. */
  private void acceptAll() {
    for (int i = 0; i < maxPending; i++) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        // out of file descriptors, most likely: the socket stays ready, so pause rather than spin
        LOG.warn("safekit command server: cannot accept ({}), pausing", e.toString());
        acceptKey.interestOps(0);
        acceptPaused = true;
        acceptResumes = System.nanoTime() + ACCEPT_PAUSE.toNanos();
        return;
      }
      if (client == null) {
        return;
      }
      if (pending.size() >= maxPending) {
        Pending oldest = pending.iterator().next();
        refuse(
            oldest, "safeadmin is busy: too many connections waiting; try again", CliExit.FAILED);
        drop(oldest);
      }
      try {
        client.configureBlocking(false);
        SelectionKey key = client.register(selector, SelectionKey.OP_READ);
        Pending p = new Pending(client, key, System.nanoTime() + readTimeout.toNanos());
        key.attach(p);
        pending.add(p);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void resumeAccepting() {
    if (acceptPaused && System.nanoTime() - acceptResumes >= 0) {
      acceptPaused = false;
      acceptKey.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  private void read(Pending p) {
    scratch.clear();
    int n;
    try {
      n = p.channel.read(scratch);
    } catch (IOException e) {
      n = -1; // reset by the client: it is gone
    }
    if (n < 0) {
      drop(p);
      return;
    }
    if (p.draining) {
      return;
    }
    switch (p.decoder.feed(scratch.flip())) {
      case COMPLETE -> {
        pending.remove(p);
        p.key.cancel();
        complete.add(p);
      }
      case REFUSED -> {
        LOG.info("safekit request refused: {}", p.decoder.refusal());
        refuse(p, p.decoder.refusal(), CliExit.USAGE);
        p.draining = true;
      }
      case NEED_MORE -> {}
    }
  }

  /** Drops connections past their deadline, answering those that had not finished sending. */
  private void expire() {
    long now = System.nanoTime();
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.deadline - now > 0) {
        return; // the others are younger
      }
      if (!p.draining) {
        refuse(p, "the request was not received within " + describe(readTimeout), CliExit.FAILED);
      }
      it.remove();
      p.key.cancel();
      closeQuietly(p.channel);
    }
  }

  /**
   * Hands complete requests on, once their keys have left the selector (blocking mode needs it).
   */
  private void handOver() throws IOException {
    if (complete.isEmpty()) {
      return;
    }
    selector.selectNow(); // deregisters the cancelled keys; what it selects is read next round
    for (Pending p : complete) {
      try {
        p.channel.configureBlocking(true);
        handler.handle(p.channel, p.decoder.request());
      } catch (IOException | RuntimeException e) {
        LOG.warn("safekit command server: cannot hand a request on: {}", e.toString());
        closeQuietly(p.channel);
      }
    }
    complete.clear();
  }

  /**
   * Answers with an error, best effort: the reply is a hundred bytes to a client that has been sent
   * nothing yet, so one non-blocking write takes it whole.
   */
  private static void refuse(Pending p, String message, int exitCode) {
    try {
      p.channel.write(ByteBuffer.wrap(Frames.errorReply(message, exitCode)));
    } catch (IOException e) {
      // the client is gone: nothing to tell it
    }
  }

  private void drop(Pending p) {
    pending.remove(p);
    p.key.cancel();
    closeQuietly(p.channel);
  }

  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("close: {}", e.toString());
    }
  }
}
