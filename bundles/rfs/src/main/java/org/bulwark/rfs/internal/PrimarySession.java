package org.bulwark.rfs.internal;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The primary's end of one secondary's session: numbers the changes, writes them in that order, and
 * completes each change's future with the secondary's acknowledgement (0, or the errno it failed
 * with). Sending waits while the connection's buffer is full (backpressure, never an unbounded
 * queue) at most {@code sendTimeout}; past it, or when a connection ends, every pending change
 * fails and the session is over.
 *
 * <p>A session has its first connection and, with {@code nbremconn} (spec B.7), the ones the
 * secondary {@link #join}s: change number n goes on connection n modulo their count, and the
 * secondary applies them in their numbers' order; control messages and acknowledgements use the
 * first.
 */
final class PrimarySession {
  private final Channel channel;
  private final DirectWriter writer;
  private final long sendTimeoutMillis;
  private volatile long session;
  private final Object sendLock = new Object();

  /** Every connection of the session, the first one first (written under sendLock). */
  private volatile List<Channel> channels;

  private final Map<Long, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private final AtomicLong bytesSent = new AtomicLong();

  // guarded by sendLock
  private long nextSeq = 1;

  /** Connections with changes queued without a flush (guarded by sendLock). */
  private final java.util.Set<Channel> unflushed = new java.util.HashSet<>();

  PrimarySession(Channel channel, long session, long sendTimeoutMillis) {
    this.channel = channel;
    this.writer = DirectWriter.of(channel);
    this.session = session;
    this.sendTimeoutMillis = sendTimeoutMillis;
    this.channels = List.of(channel);
  }

  long id() {
    return session;
  }

  /** The number the secondary's further connections name ({@link Msg.Join}). */
  void number(long id) {
    session = id;
  }

  /**
   * One of the secondary's further connections ({@code nbremconn}): changes numbered from now on go
   * on it too. False when the session is over or has its {@link MsgCodec#MAX_CONNECTIONS}.
   */
  boolean join(Channel c) {
    synchronized (sendLock) {
      if (!isOpen() || channels.size() >= MsgCodec.MAX_CONNECTIONS) {
        return false;
      }
      List<Channel> more = new java.util.ArrayList<>(channels);
      more.add(c);
      channels = List.copyOf(more);
    }
    c.closeFuture().addListener(f -> end("a replication connection closed"));
    if (!isOpen()) {
      c.close(); // ended while it joined
    }
    return true;
  }

  /** How many connections carry the session's changes. */
  int connections() {
    return channels.size();
  }

  Channel channel() {
    return channel;
  }

  boolean isOpen() {
    return !ended.isDone();
  }

  /** Completes with the reason when the session is over. */
  CompletableFuture<String> ended() {
    return ended;
  }

  /** Completes once the replica has taken the session's end into account. */
  CompletableFuture<Void> settled() {
    return settled;
  }

  void settle() {
    settled.complete(null);
  }

  long bytesSent() {
    return bytesSent.get();
  }

  /**
   * Queues a change, numbered after every change queued before; returns its acknowledgement.
   *
   * @throws IOException if the session is over or the buffer stayed full past the send timeout
   */
  CompletableFuture<Integer> send(Change change) throws IOException {
    return send(change, true);
  }

  /**
   * As {@link #send(Change)}; with {@code flush} false the change is only queued for the connection
   * (no wake-up of its event loop): a later send, {@link #flush}, {@link #drain} or {@link
   * #control} sends it. For a stream of changes nobody waits for one by one (a reintegration's
   * copy).
   */
  CompletableFuture<Integer> send(Change change, boolean flush) throws IOException {
    return send(change, flush, false);
  }

  /**
   * As {@link #send(Change, boolean)}; {@code linked}: a reintegration's change of a file it found
   * with several names ({@link Msg.Op#linked}).
   */
  CompletableFuture<Integer> send(Change change, boolean flush, boolean linked) throws IOException {
    boolean queued = false;
    try {
      synchronized (sendLock) {
        List<Channel> all = channels;
        Channel on = all.get((int) (nextSeq % all.size()));
        awaitRoom(on);
        long seq = nextSeq++;
        CompletableFuture<Integer> ack = new CompletableFuture<>();
        pending.put(seq, ack);
        if (!isOpen()) {
          pending.remove(seq);
          throw new IOException("replication session ended: " + ended.getNow("?"));
        }
        if (change instanceof Change.Write w) {
          bytesSent.addAndGet(w.length());
        }
        queued = true; // from here the channel owns the change's data, sent or failed
        DirectWriter w = on == channel ? writer : DirectWriter.of(on);
        if (flush) {
          flushOthers(on); // what was queued before it, on other connections, goes first
          w.send(new Msg.Op(seq, change, linked)); // in the kernel when this returns, or queued
        } else {
          w.queue(new Msg.Op(seq, change, linked));
          unflushed.add(on);
        }
        return ack;
      }
    } finally {
      if (!queued) {
        Change.release(change);
      }
    }
  }

  /** A control message, after every change queued before it; returns the last change's number. */
  long control(java.util.function.LongFunction<Msg> message) throws IOException {
    synchronized (sendLock) {
      awaitRoom(channel);
      flushOthers(channel);
      long last = nextSeq - 1;
      writer.send(message.apply(last));
      return last;
    }
  }

  void sendNow(Msg msg) {
    writer.send(msg);
  }

  /** Sends what was queued without a flush. */
  void flush() {
    synchronized (sendLock) {
      for (Channel c : channels) {
        DirectWriter.of(c).flush();
      }
      unflushed.clear();
    }
  }

  /**
   * Under sendLock, before a flushed message on {@code on}: what other connections hold queued is
   * sent, since the secondary applies nothing after a change it has not received.
   */
  private void flushOthers(Channel on) {
    if (!unflushed.isEmpty()) {
      for (Channel c : unflushed) {
        if (c != on) {
          DirectWriter.of(c).flush();
        }
      }
      unflushed.clear();
    }
  }

  private void awaitRoom(Channel channel) throws IOException {
    long deadline = System.nanoTime() + sendTimeoutMillis * 1_000_000L;
    while (!channel.isWritable()) {
      channel.flush(); // what fills the buffer may be queued unflushed
      if (!isOpen()) {
        throw new IOException("replication session ended: " + ended.getNow("?"));
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        end("sendtimeout: the secondary took nothing for " + sendTimeoutMillis + " ms");
        throw new IOException("sendtimeout");
      }
      try {
        sendLock.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending");
      }
    }
    if (!isOpen()) {
      throw new IOException("replication session ended: " + ended.getNow("?"));
    }
  }

  /** The channel can take more (called on its event loop). */
  void writable() {
    synchronized (sendLock) {
      sendLock.notifyAll();
    }
  }

  /** Completes a pending change; false when none with that number waits (replayed, forged). */
  boolean acknowledged(Msg.Ack ack) {
    CompletableFuture<Integer> f = pending.remove(ack.seq());
    if (f == null) {
      return !isOpen(); // after the end, late acknowledgements are expected
    }
    f.complete(ack.errno());
    return true;
  }

  /** Waits until every change queued so far is acknowledged; false if the session ended. */
  boolean drain(long timeoutMillis) {
    flush();
    List<CompletableFuture<Integer>> all = List.copyOf(pending.values());
    try {
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
          .get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      return isOpen();
    } catch (Exception e) {
      return false;
    }
  }

  /** Ends the session: pending changes fail, the connection closes. Idempotent. */
  void end(String reason) {
    if (ended.complete(reason)) {
      IOException failure = new IOException("replication session ended: " + reason);
      pending.values().forEach(f -> f.completeExceptionally(failure));
      pending.clear();
      channels.forEach(Channel::close);
      synchronized (sendLock) {
        sendLock.notifyAll();
      }
    }
  }
}
