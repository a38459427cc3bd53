package org.bulwark.rfs.internal;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The primary's end of one secondary's connection: numbers the changes, writes them in that order,
 * and completes each change's future with the secondary's acknowledgement (0, or the errno it
 * failed with). Sending waits while the connection's buffer is full (backpressure, never an
 * unbounded queue) at most {@code sendTimeout}; past it, or when the connection ends, every pending
 * change fails and the session is over.
 */
final class PrimarySession {
  private final Channel channel;
  private final DirectWriter writer;
  private final long sendTimeoutMillis;
  private final long session;
  private final Object sendLock = new Object();
  private final Map<Long, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private final AtomicLong bytesSent = new AtomicLong();

  // guarded by sendLock
  private long nextSeq = 1;

  PrimarySession(Channel channel, long session, long sendTimeoutMillis) {
    this.channel = channel;
    this.writer = DirectWriter.of(channel);
    this.session = session;
    this.sendTimeoutMillis = sendTimeoutMillis;
  }

  long id() {
    return session;
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
        awaitRoom();
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
        if (flush) {
          writer.send(
              new Msg.Op(seq, change, linked)); // in the kernel when this returns, or queued
        } else {
          writer.queue(new Msg.Op(seq, change, linked));
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
      awaitRoom();
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
    writer.flush();
  }

  private void awaitRoom() throws IOException {
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
    channel.flush();
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
      channel.close();
      synchronized (sendLock) {
        sendLock.notifyAll();
      }
    }
  }
}
